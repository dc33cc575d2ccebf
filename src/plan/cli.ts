import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { planChanges, planMarkdown } from './plan';
import { unreferencedTemplates } from './unreferenced-templates';
import { parseYamlObjects } from '../validation/yaml-documents';

const USAGE = `usage: capi-plan OLD NEW
       capi-plan --git REF NEW
       capi-plan --unreferenced-templates [--remove] PATH...

Prints what applying the output NEW over OLD will do, per namespace: the control planes and pools
that roll and how many machines, scaling, add-ons re-applied or ignored, edits the API server or
the providers' webhooks will reject, and objects that leave the output (deleted, or kept by their
prune protection). OLD and NEW are folders (or files) of YAML; with --git, OLD is NEW's path at the
git revision REF (e.g. origin/main). Markdown, fit for a pull-request comment.
Exits 1 when an edit would be rejected, 2 on a usage error, 3 when it could not complete, 0 otherwise.

--unreferenced-templates lists the machine and bootstrap templates in PATH (folders, files, or -
for standard input, e.g. a kubectl get -A -o yaml dump of the management cluster) that no pool,
MachineSet, control plane, class or machine refers to any more, with the kubectl commands that
delete them; --remove deletes their files from the folders (and their kustomization.yaml entries).`;

const SKIPPED = new Set(['kustomization.yaml', 'kustomization.yml']);

/** The objects of the YAML files below a folder (or of one file), with their file. */
function readSourced(target: string): Array<{ manifest: any; file: string }> {
  if (target === '-') return parseText(fs.readFileSync(0, 'utf8'), '<stdin>').map(manifest => ({ manifest, file: '<stdin>' }));
  if (!fs.existsSync(target)) throw new Error(`${target}: no such file or folder`);
  const files = (dir: string): string[] => (fs.statSync(dir).isDirectory()
    ? fs.readdirSync(dir).filter(f => !f.startsWith('.')).sort().flatMap(f => files(path.join(dir, f)))
    : /\.ya?ml$/.test(dir) && !SKIPPED.has(path.basename(dir)) ? [dir] : []);
  return files(target).flatMap(file => parseText(fs.readFileSync(file, 'utf8'), file).map(manifest => ({ manifest, file })));
}

/** The objects of the YAML files below a folder (or of one file). */
export function readFolder(target: string): any[] {
  return readSourced(target).map(o => o.manifest);
}

/** Lists (and with `remove`, deletes from their folders) the templates nothing refers to. */
function listUnreferenced(paths: string[], remove: boolean, print: (line: string) => void): number {
  const objects = paths.flatMap(readSourced);
  const found = unreferencedTemplates(objects);
  if (found.length === 0) {
    print('capi-plan: no unreferenced template');
    return 0;
  }
  for (const t of found) print(`kubectl${t.namespace ? ` -n ${t.namespace}` : ''} delete ${t.kind.toLowerCase()} ${t.name}    # ${t.file}`);
  if (remove) {
    for (const t of found) {
      const alone = t.file && t.file !== '<stdin>' && objects.filter(o => o.file === t.file).length === 1;
      if (!alone) {
        print(`capi-plan: ${t.kind} ${t.name} shares ${t.file} with other objects: not removed`);
        continue;
      }
      fs.rmSync(t.file!);
      const kustomization = path.join(path.dirname(t.file!), 'kustomization.yaml');
      if (fs.existsSync(kustomization)) {
        const entry = `  - ${path.basename(t.file!)}\n`;
        fs.writeFileSync(kustomization, fs.readFileSync(kustomization, 'utf8').split(entry).join(''));
      }
      print(`capi-plan: removed ${t.file}`);
    }
  }
  return 0;
}

/** The objects of the YAML files below `target` at a git revision. */
function readGit(ref: string, target: string): any[] {
  const cwd = fs.statSync(target).isDirectory() ? target : path.dirname(target);
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024 });
  const prefix = git('rev-parse', '--show-prefix').trim();
  const relative = fs.statSync(target).isDirectory() ? '.' : path.basename(target);
  const names = git('ls-tree', '-r', '--name-only', ref, '--', relative).split('\n').filter(n => /\.ya?ml$/.test(n) && !SKIPPED.has(path.basename(n)));
  return names.sort().flatMap(name => parseText(git('show', `${ref}:${prefix}${name}`), `${ref}:${prefix}${name}`));
}

function parseText(text: string, where: string): any[] {
  const { objects, errors } = parseYamlObjects(text);
  if (errors.length > 0) throw new Error(`${where}: ${errors[0]}`);
  return objects.map(o => o.manifest).filter(m => m && typeof m === 'object' && m.kind);
}

/** Runs the command line; returns the exit code. */
export function main(args: string[], print: (line: string) => void = line => console.log(line)): number {
  if (args.includes('--help') || args.includes('-h')) {
    print(USAGE);
    return 0;
  }
  if (args[0] === '--unreferenced-templates') {
    const remove = args.includes('--remove');
    const paths = args.slice(1).filter(a => a !== '--remove');
    if (paths.length === 0 || paths.some(a => a.startsWith('--'))) {
      print(USAGE);
      return 2;
    }
    try {
      return listUnreferenced(paths, remove, print);
    } catch (error) {
      print(`capi-plan: ${(error as Error).message.split('\n')[0]}`);
      return 3;
    }
  }
  const gitAt = args.indexOf('--git');
  const ref = gitAt >= 0 ? args[gitAt + 1] : undefined;
  const rest = gitAt >= 0 ? args.filter((_, i) => i !== gitAt && i !== gitAt + 1) : args;
  if ((gitAt >= 0 && (!ref || rest.length !== 1)) || (gitAt < 0 && rest.length !== 2) || rest.some(a => a.startsWith('--'))) {
    print(USAGE);
    return 2;
  }
  try {
    const next = readFolder(rest[rest.length - 1]);
    const previous = ref !== undefined ? readGit(ref, rest[0]) : readFolder(rest[0]);
    const plan = planChanges(previous, next);
    print(planMarkdown(plan));
    return plan.namespaces.some(p => p.rejected.length > 0) ? 1 : 0;
  } catch (error) {
    print(`capi-plan: ${(error as Error).message.split('\n')[0]}`);
    return 3;
  }
}

/** Runs when the module is the program (bin/capi-plan requires it). */
export function run(): void {
  process.exitCode = main(process.argv.slice(2));
}
