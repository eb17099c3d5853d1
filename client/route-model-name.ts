/** The prefix a model name may carry in the front doors: `cascade/support-ticket` is the route `support-ticket`. */
export const routeModelPrefix = 'cascade/';

/** The route a model name names: itself, or without its `cascade/` prefix. */
export function routeOfModel(model: string): string {
  return model.startsWith(routeModelPrefix) ? model.slice(routeModelPrefix.length) : model;
}
