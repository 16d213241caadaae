import type { AddressLocation } from '../../config.js';
import type { AuthEventRecord } from '../../storage/types.js';
import { inRanges, ipRanges } from './ip-ranges.js';

export type Place = Pick<AuthEventRecord['body'], 'city' | 'country' | 'timezone'>;

/** The operator's address-to-place table (config `threatProtection.locations`): the first range holding the address wins. */
export class Locations {
  private readonly ranges;

  constructor(locations: AddressLocation[]) {
    this.ranges = locations.map(({ range, city, country, timezone }) => ({
      list: ipRanges([range], 'threatProtection.locations'),
      place: { ...(city && { city }), ...(country && { country }), ...(timezone && { timezone }) },
    }));
  }

  of(address: string | null): Place | undefined {
    return this.ranges.find(({ list }) => inRanges(list, address))?.place;
  }
}
