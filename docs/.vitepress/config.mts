import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type DefaultTheme, defineConfig } from "vitepress";

const root = join(import.meta.dirname, "..");

// The sidebar is built from folders: a new page in one of these folders appears in its
// section, ordered by its frontmatter `order` (then title). A section with no pages yet
// is left out, so "Auth libraries", "Languages" and the rest show up with their first page.
const SECTIONS: { title: string; dir: string; pages?: string[] }[] = [
  { title: "Introduction", dir: ".", pages: ["index.md", "concepts.md", "privacy.md", "troubleshooting.md"] },
  { title: "Quickstarts", dir: "quickstart" },
  { title: "Auth libraries", dir: "auth" },
  { title: "Languages", dir: "languages" },
  { title: "Migration", dir: "migration" },
  { title: "Compatibility", dir: "compatibility" },
  { title: "Reference", dir: "reference" },
];

function titleOf(text: string, file: string): { title: string; order: number } {
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
  const title =
    /^title:\s*(.+)$/m.exec(front)?.[1]?.trim() ??
    /^# (.+)$/m
      .exec(text)?.[1]
      ?.replace(/<[^>]+>/g, "")
      .trim() ??
    file.replace(/\.md$/, "");
  const order = Number(/^order:\s*(\d+)$/m.exec(front)?.[1] ?? 100);
  return { title: title.replace(/^["']|["']$/g, ""), order };
}

function section({ title, dir, pages }: (typeof SECTIONS)[number]): DefaultTheme.SidebarItem | null {
  const folder = join(root, dir);
  if (!existsSync(folder)) return null;
  const files = pages ?? readdirSync(folder).filter((name) => name.endsWith(".md") && !name.startsWith("["));
  const items = files
    .filter((name) => existsSync(join(folder, name)))
    .map((name) => {
      const meta = titleOf(readFileSync(join(folder, name), "utf8"), name);
      const page = join(dir, name)
        .replace(/\.md$/, "")
        .replace(/(^|\/)index$/, "$1");
      return {
        text: name === "index.md" && dir === "." ? "Overview" : meta.title,
        link: `/${page}`,
        order: meta.order,
      };
    })
    .sort((a, b) => (pages ? 0 : a.order - b.order || a.text.localeCompare(b.text)));
  if (items.length === 0) return null;
  return { text: title, items: items.map(({ text, link }) => ({ text, link })) };
}

export default defineConfig({
  title: "sessionvault",
  description:
    "Encrypted, revocable web sessions and PII tokens, with a typed SDK for express, Koa, Fastify and Next.js",
  cleanUrls: true,
  lastUpdated: false,
  // A dead internal link fails the build (the default; written out so it stays on).
  ignoreDeadLinks: false,
  srcExclude: ["**/node_modules/**", "test/**", "test-results/**", ".samples/**", "README.md"],
  themeConfig: {
    nav: [
      { text: "Quickstart", link: "/quickstart/express" },
      { text: "Concepts", link: "/concepts" },
      { text: "Migration", link: "/migration/connect-redis" },
      { text: "API reference", link: "/reference/api" },
    ],
    sidebar: SECTIONS.map(section).filter((item): item is DefaultTheme.SidebarItem => item !== null),
    outline: { level: [2, 3] },
    search: { provider: "local" },
  },
});
