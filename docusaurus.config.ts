import type { Config, LoadContext, Plugin, PluginConfig } from '@docusaurus/types';
import type { UserThemeConfig } from '@docusaurus/theme-common';
import type { Options as ClassicThemeOptions } from '@docusaurus/theme-classic';
import type { UserThemeConfig as MermaidThemeConfig } from '@docusaurus/theme-mermaid';
import type { Options as DocsOptions } from '@docusaurus/plugin-content-docs';
import type { Options as PagesOptions } from '@docusaurus/plugin-content-pages';
import type { PluginOptions as SearchOptions } from '@easyops-cn/docusaurus-search-local/dist/types/index.d.ts';
import { themes as prismThemes } from 'prism-react-renderer';
import labCatalogPlugin from './src/plugins/lab-catalog.ts';
import exerciseCatalogPlugin from './src/plugins/exercise-catalog.ts';
import observabilityPlugin from './src/plugins/observability.ts';

// Three sections, one docs-plugin instance each. The lessons instance keeps the default id,
// so the search plugin's "preferred version" lookup finds it without extra configuration.
const sections = [
  { id: 'default', path: 'docs', routeBasePath: 'docs', label: 'Lessons' },
  { id: 'adr', path: 'adr', routeBasePath: 'adr', label: 'ADRs' },
  { id: 'runbooks', path: 'runbooks', routeBasePath: 'runbooks', label: 'Runbooks' },
] as const;

/**
 * This package is ESM ("type": "module"), so webpack parses Docusaurus' generated files in
 * .docusaurus/ as strict ESM and leaves their `require.resolveWeak` calls untouched; the build
 * then dies in SSG with "require.resolveWeak is not a function". Parsing those files as
 * javascript/auto, as they would be in a CommonJS package, restores the runtime helper.
 */
function generatedFilesAsAutoModules(context: LoadContext): Plugin {
  return {
    name: 'generated-files-as-auto-modules',
    configureWebpack: () => ({
      module: { rules: [{ test: /\.js$/, include: [context.generatedFilesDir], type: 'javascript/auto' }] },
    }),
  };
}

const config: Config = {
  title: 'Real-time CTR Labs',
  tagline: 'Learn streaming data engineering with labs that really run: Kafka, Flink, ClickHouse.',
  url: 'https://ctr-labs.example',
  baseUrl: '/',
  favicon: 'img/logo.svg',
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: {
    mermaid: true,
    hooks: { onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw' },
  },

  i18n: { defaultLocale: 'en', locales: ['en'] },

  themes: [
    ['@docusaurus/theme-classic', { customCss: './src/css/custom.css' } satisfies ClassicThemeOptions],
    '@docusaurus/theme-mermaid',
    [
      '@easyops-cn/docusaurus-search-local',
      {
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsDir: sections.map((s) => s.path),
        docsRouteBasePath: sections.map((s) => s.routeBasePath),
        hashed: true,
        language: ['en'],
        highlightSearchTermsOnTargetPage: false,
        searchBarShortcutHint: false,
      } satisfies Partial<SearchOptions>,
    ],
  ],

  plugins: [
    ...sections.map(
      (s): PluginConfig => [
        '@docusaurus/plugin-content-docs',
        {
          id: s.id,
          path: s.path,
          routeBasePath: s.routeBasePath,
          sidebarPath: s.id === 'default' ? './sidebars.ts' : undefined,
          // ADR numbers are part of their identity: keep "0001-" in the id and the URL.
          numberPrefixParser: s.id === 'adr' ? false : undefined,
        } satisfies DocsOptions,
      ],
    ),
    ['@docusaurus/plugin-content-pages', {} satisfies PagesOptions],
    // /dashboard queries the reader's own Prometheus (a request off the site): left out of the
    // sitemap, so the every-page browser test (pages.spec.ts) skips it; dashboard.spec.ts tests it.
    ['@docusaurus/plugin-sitemap', { ignorePatterns: ['/dashboard'] }],
    generatedFilesAsAutoModules,
    labCatalogPlugin,
    exerciseCatalogPlugin,
    observabilityPlugin,
  ],

  themeConfig: {
    colorMode: {
      defaultMode: 'light',
      disableSwitch: false,
      respectPrefersColorScheme: true,
    },
    navbar: {
      title: 'Real-time CTR Labs',
      logo: { alt: 'Real-time CTR Labs', src: 'img/logo.svg' },
      items: [
        { type: 'docSidebar', sidebarId: 'lessons', position: 'left', label: 'Lessons' },
        { to: '/docs/interview', position: 'left', label: 'Interview' },
        { to: '/adr', position: 'left', label: 'ADRs', activeBaseRegex: '^/adr' },
        { to: '/runbooks', position: 'left', label: 'Runbooks', activeBaseRegex: '^/runbooks' },
        { to: '/dashboard', position: 'left', label: 'Dashboard' },
        { type: 'search', position: 'right' },
      ],
    },
    footer: {
      style: 'dark',
      links: [
        {
          title: 'Learn',
          items: [
            { label: 'Start here', to: '/docs' },
            { label: 'Phase 0: baseline', to: '/docs/phase-0-baseline' },
            { label: 'Interview', to: '/docs/interview' },
          ],
        },
        {
          title: 'Operate',
          items: [
            { label: 'Runbooks', to: '/runbooks' },
            { label: 'Stack health checks', to: '/runbooks/stack-health-checks' },
          ],
        },
        {
          title: 'Decide',
          items: [{ label: 'Architecture decisions', to: '/adr' }],
        },
      ],
      copyright: 'Real-time CTR Labs. Every figure on this site comes from a lab run.',
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'json', 'sql', 'java', 'diff'],
    },
    mermaid: { theme: { light: 'neutral', dark: 'dark' } },
    docs: { sidebar: { hideable: true } },
  } satisfies UserThemeConfig & MermaidThemeConfig,
};

export default config;
