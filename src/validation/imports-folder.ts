import * as path from 'path';

/**
 * The package's `imports/` folder (it ships in the npm package), found from this module's place:
 * `src/validation/` when run from source, `lib/validation/` once compiled.
 */
export const IMPORTS_FOLDER = path.resolve(__dirname, '..', '..', 'imports');
