import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * No import cycles in src/: each module can be read, tested and replaced from the bottom up (the
 * cluster imports its pools and add-ons; they depend on the ICapiCluster contract only). Type-only
 * imports count too: a cycle of types is a cycle of concepts.
 */

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'imports' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The src/ files a file imports, resolved from its relative import paths. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map(i => i.fileName)
    .filter(name => name.startsWith('.'))
    .map(name => path.resolve(path.dirname(file), name))
    .map(base => [`${base}.ts`, path.join(base, 'index.ts')].find(candidate => fs.existsSync(candidate)))
    .filter((resolved): resolved is string => resolved !== undefined && !resolved.includes(`${path.sep}imports${path.sep}`));
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'visiting');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('import cycles', () => {
  test('the detector finds a cycle, and none in a chain', () => {
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]]))).toEqual([]);
  });

  test('src/ has none', () => {
    const graph = new Map(sourceFiles(SRC).map(file => [file, importsOf(file)]));
    expect(graph.size).toBeGreaterThan(30);
    const cycles = findCycles(graph).map(cycle => cycle.map(file => path.relative(SRC, file)).join(' -> '));
    expect(cycles).toEqual([]);
  });
});
