import { readFolder } from './cli';
import { mermaidDiagram } from './diagram';

const USAGE = `usage: capi-diagram PATH

Draws the objects of an output folder (or YAML file) and their references as a Mermaid flowchart:
Cluster → OpenStackCluster, control plane and pools → their templates, health checks → what they
watch, ClusterResourceSets → what they deliver and carry, HelmChartProxies → the clusters they
select, credentials. Paste it into a Markdown file (\`\`\`mermaid) to see it rendered.`;

/** Runs the command line; returns the exit code. */
export function main(args: string[], print: (line: string) => void = line => process.stdout.write(line)): number {
  if (args.length !== 1 || args[0].startsWith('-')) {
    print(`${USAGE}\n`);
    return args.includes('--help') || args.includes('-h') ? 0 : 2;
  }
  try {
    print(mermaidDiagram(readFolder(args[0])));
    return 0;
  } catch (error) {
    print(`capi-diagram: ${(error as Error).message.split('\n')[0]}\n`);
    return 3;
  }
}

/** Runs when the module is the program (bin/capi-diagram requires it). */
export function run(): void {
  process.exitCode = main(process.argv.slice(2));
}
