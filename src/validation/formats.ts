import * as net from 'net';

/**
 * The string and number formats the API server checks in custom resources
 * (k8s.io/apiextensions-apiserver, kube-openapi's format registry). Formats not listed here are
 * accepted as the API server accepts them: unchecked.
 */
const STRING_FORMATS: Record<string, (value: string) => boolean> = {
  // Go's base64 decoder, which the API server uses, skips line breaks.
  'byte': v => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(v.replace(/[\r\n]/g, '')),
  // resource.Quantity, as its OpenAPI pattern states it (e.g. "512Mi", "1.5", "100m", "1e3").
  'quantity': v => /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/.test(v),
  'date-time': v => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(v) && !isNaN(Date.parse(v)),
  'date': v => /^\d{4}-\d{2}-\d{2}$/.test(v) && !isNaN(Date.parse(v)),
  'uuid': v => /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(v),
  'ipv4': v => net.isIPv4(v),
  'ipv6': v => net.isIPv6(v),
  'cidr': v => isCidr(v),
  'mac': v => /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(v),
};

const INTEGER_RANGES: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** The rule a value breaks by its format, if it does. */
export function formatViolation(format: string | undefined, value: unknown): string | undefined {
  if (!format) return undefined;
  if (typeof value === 'string') {
    const check = STRING_FORMATS[format];
    return check && !check(value) ? `must be in format "${format}"` : undefined;
  }
  if (typeof value === 'number') {
    const range = INTEGER_RANGES[format];
    return range && (value < range[0] || value > range[1]) ? `must fit format "${format}" (${range[0]} to ${range[1]})` : undefined;
  }
  return undefined;
}

function isCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const version = net.isIP(address);
  return version !== 0 && Number(bits) <= (version === 4 ? 32 : 128);
}
