import { BenchFigures, probe } from './benchSteps';
import { round } from './stats';

// The word index's own figures (searchIndexProbe.ts) for any backend, from a fresh process whose
// store has no saved index: the build from nothing, memory against the text, and updates.

export function indexFigures(cliPath: string, spec: string, env?: NodeJS.ProcessEnv): BenchFigures {
  const probed = probe(cliPath, ['search-index', spec], env);
  return {
    indexBuildSeconds: round(probed.indexBuildMs / 1000, 2),
    indexMB: round(probed.indexBytes / 1e6, 1),
    textMB: round(probed.textBytes / 1e6, 1),
    indexShareOfText: round(probed.indexShareOfText, 3),
    indexUpdatePerMessageMs: round(probed.indexUpdatePerMessageMs, 3),
  };
}
