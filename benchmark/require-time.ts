/** Prints how long a cold require() of the library takes, in ms. */
const started = process.hrtime.bigint();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('cdk8s-capi-openstack');
console.log(JSON.stringify({ requireMs: Number(process.hrtime.bigint() - started) / 1e6 }));
