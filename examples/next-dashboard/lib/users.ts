/** The demo's users. Their profiles go to the vault at sign-in; sessions only see a token. */
export const DEMO_USERS = {
  ada: { login: "ada", name: "Ada Lovelace", email: "ada@example.com", role: "admin" },
  grace: { login: "grace", name: "Grace Hopper", email: "grace@example.com", role: "member" },
  alan: { login: "alan", name: "Alan Turing", email: "alan@example.com", role: "member" },
} as const;

export type DemoUserId = keyof typeof DEMO_USERS;

export function isDemoUserId(value: unknown): value is DemoUserId {
  return typeof value === "string" && Object.hasOwn(DEMO_USERS, value);
}
