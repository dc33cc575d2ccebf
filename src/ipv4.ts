import * as ipaddr from 'ipaddr.js';

/** An IPv4 network in CIDR notation, parsed. */
export interface Ipv4Network {
  readonly cidr: string;
  readonly address: ipaddr.IPv4;
  readonly prefixLength: number;
}

/**
 * Parses an IPv4 CIDR, returning either the network or the reason it is not one (malformed, not
 * IPv4, or host bits set, which Neutron and kubeadm reject or silently mask).
 */
export function parseIpv4Cidr(cidr: string): Ipv4Network | string {
  if (typeof cidr !== 'string' || !ipaddr.IPv4.isValidCIDR(cidr)) {
    return ipaddr.isValidCIDR(String(cidr))
      ? 'must be an IPv4 CIDR (only IPv4 is supported here)'
      : 'must be an IPv4 CIDR such as "10.6.0.0/24"';
  }
  const [address, prefixLength] = ipaddr.IPv4.parseCIDR(cidr);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
  if (network.toString() !== address.toString()) {
    return `must be a network address: host bits are set (did you mean "${network}/${prefixLength}"?)`;
  }
  return { cidr, address, prefixLength };
}

/** Whether two IPv4 networks share any address. */
export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
  return a.address.match(b.address, b.prefixLength) || b.address.match(a.address, a.prefixLength);
}

export function isIpv4Address(value: string): boolean {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value);
}
