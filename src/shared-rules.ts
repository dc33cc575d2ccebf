import { Flavor } from './flavor';
import { InputErrors } from './input-errors';
import { MachineImage } from './machine-image';
import { MAX_MACHINE_OWNER_NAME_LENGTH } from './naming';
import { DNS1123_LABEL_RULE, isDns1123Label, labelKeyProblem, labelValueProblem } from './rules';

/** The checks a cluster and its pools share: names machines are named after, labels, servers. */

/**
 * A name that is a DNS-1123 label and keeps the name of the object machines are named after
 * (`ownerName`, e.g. `<cluster>-control-plane`) short enough for their host names.
 */
export function checkMachineOwnerName(errors: InputErrors, prop: string, name: string, ownerName: string): void {
  if (!errors.check(isDns1123Label(name), prop, name, DNS1123_LABEL_RULE)) return;
  errors.check(ownerName.length <= MAX_MACHINE_OWNER_NAME_LENGTH, prop, name,
    `is too long: "${ownerName}" must be at most ${MAX_MACHINE_OWNER_NAME_LENGTH} characters so machine host names fit in 63`);
}

/** Label keys and values; `keyRule` adds a rule of the labels' own (e.g. what kubelet may set). */
export function checkLabels(errors: InputErrors, prop: string, labels: { [key: string]: string },
  keyRule: (key: string) => string | undefined = () => undefined): void {
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(key) ?? keyRule(key);
    if (keyProblem) errors.add(`${prop}["${key}"]`, key, keyProblem);
    const valueProblem = labelValueProblem(value);
    if (valueProblem) errors.add(`${prop}["${key}"]`, value, valueProblem);
  }
}

/** A Flavor, and its own problems under `<prop>.<field>`. */
export function checkFlavor(errors: InputErrors, prop: string, flavor: unknown): void {
  if (errors.check(flavor instanceof Flavor, prop, flavor, 'must be a Flavor (Flavor.of or Flavor.named)')) {
    for (const [field, value, rule] of (flavor as Flavor)._problems()) errors.add(`${prop}.${field}`, value, rule);
  }
}

/** A MachineImage that names an image. */
export function checkImage(errors: InputErrors, prop: string, image: unknown): void {
  if (errors.check(image instanceof MachineImage, prop, image, 'must be a MachineImage (MachineImage.fromName or fromId)')) {
    for (const [, value, rule] of (image as MachineImage)._problems()) errors.add(prop, value, rule);
  }
}
