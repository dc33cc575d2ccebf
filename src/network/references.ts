import * as ipaddr from 'ipaddr.js';
import { isUuid } from '../rules';

/**
 * A query selecting one existing Neutron resource (CAPO `filter`): every field set must match.
 * Test it with `openstack network list` (or `subnet list`, `router list`) first: CAPO fails when
 * it matches none or several.
 */
export interface NeutronFilter {
  /**
   * The resource's name.
   * @default - any name
   */
  readonly name?: string;
  /**
   * The resource's description.
   * @default - any description
   */
  readonly description?: string;
  /**
   * Id of the project that owns the resource.
   * @default - any project
   */
  readonly projectId?: string;
  /**
   * Tags the resource has, all of them.
   * @default - none required
   */
  readonly tags?: string[];
  /**
   * Tags the resource has, at least one of them.
   * @default - none required
   */
  readonly tagsAny?: string[];
  /**
   * Tags that exclude the resource when it has all of them.
   * @default - none
   */
  readonly notTags?: string[];
  /**
   * Tags that exclude the resource when it has any of them.
   * @default - none
   */
  readonly notTagsAny?: string[];
}

/** A query selecting one existing Neutron subnet (CAPO `SubnetFilter`). */
export interface SubnetFilter extends NeutronFilter {
  /**
   * The subnet's CIDR, e.g. `10.0.0.0/24`.
   * @default - any CIDR
   */
  readonly cidr?: string;
  /**
   * The subnet's gateway address.
   * @default - any gateway
   */
  readonly gatewayIp?: string;
  /**
   * The subnet's IP version: 4 or 6.
   * @default - any version
   */
  readonly ipVersion?: number;
}

const NEUTRON_FILTER_FIELDS = ['name', 'description', 'projectId', 'tags', 'tagsAny', 'notTags', 'notTagsAny'];
const SUBNET_FILTER_FIELDS = [...NEUTRON_FILTER_FIELDS, 'cidr', 'gatewayIp', 'ipVersion'];

/** What a reference holds: an id, or a filter. */
interface Param {
  readonly id?: string;
  readonly filter?: SubnetFilter;
}

/** A problem of a reference, as `[field, value, rule]`. */
type ReferenceProblem = [string, unknown, string];

/** An existing Neutron network, by id or by query (CAPO `NetworkParam`). */
export class NetworkReference {
  /** The network with this id (a UUID): the fastest and unambiguous way. */
  public static fromId(id: string): NetworkReference {
    return new NetworkReference({ id });
  }

  /** The network with this name; it must be the only one of that name the credentials see. */
  public static fromName(name: string): NetworkReference {
    return new NetworkReference({ filter: { name } });
  }

  /** The network matching every field of this query. */
  public static fromFilter(filter: NeutronFilter): NetworkReference {
    return new NetworkReference({ filter });
  }

  private constructor(private readonly param: Param) {}

  /** @internal */
  public _problems(): Array<[string, unknown, string]> {
    return paramProblems(this.param, NEUTRON_FILTER_FIELDS, 'NeutronFilter');
  }

  /** @internal */
  public _toSpec(): any {
    return paramSpec(this.param);
  }
}

/** An existing Neutron subnet, by id or by query (CAPO `SubnetParam`). */
export class SubnetReference {
  /** The subnet with this id (a UUID). */
  public static fromId(id: string): SubnetReference {
    return new SubnetReference({ id });
  }

  /** The subnet with this name; it must be the only one of that name the credentials see. */
  public static fromName(name: string): SubnetReference {
    return new SubnetReference({ filter: { name } });
  }

  /** The subnet matching every field of this query. */
  public static fromFilter(filter: SubnetFilter): SubnetReference {
    return new SubnetReference({ filter });
  }

  private constructor(private readonly param: Param) {}

  /**
   * The IP version the reference pins down (`ipVersion`, or the version of `cidr`), if any.
   * @internal
   */
  public get _ipVersion(): number | undefined {
    const filter = this.param.filter;
    if (filter?.ipVersion === 4 || filter?.ipVersion === 6) return filter.ipVersion;
    if (typeof filter?.cidr === 'string' && ipaddr.isValidCIDR(filter.cidr)) return ipaddr.parseCIDR(filter.cidr)[0].kind() === 'ipv4' ? 4 : 6;
    return undefined;
  }

  /** @internal */
  public _problems(): Array<[string, unknown, string]> {
    const problems = paramProblems(this.param, SUBNET_FILTER_FIELDS, 'SubnetFilter');
    const filter = this.param.filter;
    if (filter && typeof filter === 'object') {
      if (filter.cidr !== undefined && !(typeof filter.cidr === 'string' && ipaddr.isValidCIDR(filter.cidr))) {
        problems.push(['filter.cidr', filter.cidr, 'must be a CIDR such as "10.0.0.0/24"']);
      }
      if (filter.gatewayIp !== undefined && !(typeof filter.gatewayIp === 'string' && ipaddr.isValid(filter.gatewayIp))) {
        problems.push(['filter.gatewayIp', filter.gatewayIp, 'must be an IP address']);
      }
      if (filter.ipVersion !== undefined && filter.ipVersion !== 4 && filter.ipVersion !== 6) {
        problems.push(['filter.ipVersion', filter.ipVersion, 'must be 4 or 6']);
      }
    }
    return problems;
  }

  /** @internal */
  public _toSpec(): any {
    return paramSpec(this.param);
  }
}

/** An existing Neutron router, by id or by query (CAPO `RouterParam`). */
export class RouterReference {
  /** The router with this id (a UUID). */
  public static fromId(id: string): RouterReference {
    return new RouterReference({ id });
  }

  /** The router with this name; it must be the only one of that name the credentials see. */
  public static fromName(name: string): RouterReference {
    return new RouterReference({ filter: { name } });
  }

  /** The router matching every field of this query. */
  public static fromFilter(filter: NeutronFilter): RouterReference {
    return new RouterReference({ filter });
  }

  private constructor(private readonly param: Param) {}

  /** @internal */
  public _problems(): Array<[string, unknown, string]> {
    return paramProblems(this.param, NEUTRON_FILTER_FIELDS, 'NeutronFilter');
  }

  /** @internal */
  public _toSpec(): any {
    return paramSpec(this.param);
  }
}

/**
 * An id must be a UUID (the CRD's `format: uuid`); a filter must set at least one field (the CRD's
 * `minProperties: 1`: an empty filter would match every resource) and only known ones.
 */
function paramProblems(param: Param, fields: string[], filterType: string): ReferenceProblem[] {
  if (param.id !== undefined) {
    return isUuid(param.id) ? [] : [['id', param.id, 'must be a UUID, e.g. "6c90b532-7ba0-418a-a276-5ae55060b5b0"']];
  }
  const filter = param.filter as { [key: string]: unknown } | undefined;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    return [['filter', filter, `must be a ${filterType} object`]];
  }
  const problems: ReferenceProblem[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (!fields.includes(key)) {
      problems.push([`filter.${key}`, value, `is not a field of ${filterType} (${fields.join(', ')})`]);
    } else if (['name', 'description', 'projectId'].includes(key)) {
      if (value !== undefined && !(typeof value === 'string' && value.trim() !== '')) problems.push([`filter.${key}`, value, 'must be a non-empty string']);
    } else if (key.startsWith('tags') || key.startsWith('notTags')) {
      const ok = value === undefined || (Array.isArray(value) && value.length > 0 && value.every(t => typeof t === 'string' && t !== '' && !t.includes(',')));
      if (!ok) problems.push([`filter.${key}`, value, 'must be a non-empty list of tags (non-empty strings without ",")']);
    }
  }
  if (!Object.values(filter).some(v => v !== undefined)) {
    problems.push(['filter', filter, 'must set at least one field: an empty filter matches every resource']);
  }
  return problems;
}

function paramSpec(param: Param): any {
  if (param.id !== undefined) return { id: param.id };
  const f = param.filter!;
  return {
    filter: {
      name: f.name,
      description: f.description,
      projectID: f.projectId,
      tags: copy(f.tags),
      tagsAny: copy(f.tagsAny),
      notTags: copy(f.notTags),
      notTagsAny: copy(f.notTagsAny),
      cidr: f.cidr,
      gatewayIP: f.gatewayIp,
      ipVersion: f.ipVersion,
    },
  };
}

function copy(list: string[] | undefined): string[] | undefined {
  return list ? [...list] : undefined;
}
