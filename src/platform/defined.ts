/** The fields of a change that were given: a PATCH body's `undefined` means "leave as it is". */
export const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
