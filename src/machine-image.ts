/**
 * The Glance image servers boot from: a Kubernetes image built with image-builder.
 */
export class MachineImage {
  /** The image whose name is exactly `name` (CAPO image filter). */
  public static fromName(name: string): MachineImage {
    return new MachineImage({ filter: { name } }, 'name', name);
  }

  /** The image with this id. */
  public static fromId(id: string): MachineImage {
    return new MachineImage({ id }, 'id', id);
  }

  private constructor(
    private readonly reference: { [key: string]: any },
    /** How the image is chosen: by `name` or by `id`. */
    public readonly kind: string,
    /** The image's name or id. */
    public readonly value: string,
  ) {}

  /**
   * The problems of this image, as `[field, value, rule]` triples (field '' for the image itself).
   * @internal
   */
  public _problems(): Array<[string, unknown, string]> {
    const ok = typeof this.value === 'string' && this.value.trim() !== '';
    return ok ? [] : [['', this.value, `must name an image (a non-empty ${this.kind})`]];
  }

  /**
   * The `image` field of an OpenStackMachineTemplate spec.
   * @internal
   */
  public _toSpec(): any {
    return JSON.parse(JSON.stringify(this.reference));
  }
}
