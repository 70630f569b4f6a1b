import { BACKEND_NAMES, type BackendName } from '../backend/backend-name.js';
import { useBestBackend } from '../backend/use-best-backend.js';
import { checkOneOf } from '../validate.js';
import { stringOption, type OptionSpec, type OptionValues, PROGRAM } from './command.js';

/** The `--backend` option of the commands that compute. @internal */
export const BACKEND_OPTION: OptionSpec = {
  type: 'string',
  value: '<name>',
  description: `TensorFlow.js backend: ${BACKEND_NAMES.join(', ')} (default: the fastest available)`,
};

/** Activates the backend `--backend` names, or the fastest available. @internal */
export async function selectBackend(values: OptionValues, command: string): Promise<BackendName> {
  const name = stringOption(values, 'backend');
  if (name === undefined) return useBestBackend();
  return useBestBackend({ prefer: [checkOneOf(name, BACKEND_NAMES, `${PROGRAM} ${command}`, '--backend')] });
}
