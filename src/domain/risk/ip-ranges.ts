import { BlockList, isIP } from 'node:net';
import { invalidParameter } from '../errors.js';

/** An address as BlockList names its family. */
const familyOf = (address: string): 'ipv4' | 'ipv6' | undefined => ({ 4: 'ipv4', 6: 'ipv6' } as const)[isIP(address) as 4 | 6];

/** A list of CIDR ranges (RiskExceptionConfiguration's), refused whole when one is not a range. */
export function ipRanges(cidrs: string[], field: string): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = '', bits, extra] = cidr.split('/');
    const family = familyOf(address);
    const prefix = Number(bits);
    const max = family === 'ipv4' ? 32 : 128;
    if (!family || extra !== undefined || !/^\d{1,3}$/.test(bits ?? '') || prefix > max) throw invalidParameter(`${field} contains an invalid CIDR block: ${cidr}`);
    list.addSubnet(address, prefix, family);
  }
  return list;
}

/** Whether an address falls in any of the ranges; an unknown or malformed address is in none. */
export function inRanges(list: BlockList, address: string | null | undefined): boolean {
  const family = address ? familyOf(address) : undefined;
  return family !== undefined && list.check(address!, family);
}
