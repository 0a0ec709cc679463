// Compiled under `tsc --strict` against the types generated from openapi/openapi.json:
// closed value sets are unions, files are binary, and a misspelt status does not compile.
import type { components, paths, webhooks } from "./gen/zhihui";

type Schemas = components["schemas"];

const status: Schemas["ActivityView"]["status"] = "published";
// @ts-expect-error: not a status of an activity
const misspelt: Schemas["ActivityView"]["status"] = "publised";

const scope: Schemas["CreateApiClientRequest"]["scopes"][number] = "activities:read";
// @ts-expect-error: not a scope
const noScope: Schemas["CreateApiClientRequest"]["scopes"][number] = "activities:admin";

type LetterPdf =
  paths["/api/v1/pairing-letters/{id}/pdf"]["get"]["responses"][200]["content"]["application/pdf"];
// A file is a string of bytes on the wire, not an array of numbers.
const pdf: LetterPdf = "%PDF-1.7";

type Delivery = webhooks["activity.published"]["post"]["requestBody"];
const delivery: NonNullable<Delivery>["content"]["application/json"]["id"] = "01930000-0000-7000-8000-000000000000";

type Limit = NonNullable<paths["/api/v1/activities"]["get"]["parameters"]["query"]>["limit"];
const limit: Limit = 200;

export const used = [status, misspelt, scope, noScope, pdf, delivery, limit];
