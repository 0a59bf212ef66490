// What Obsidian would make of a note's Markdown, for tests that must prove server text stays text:
// markdown-it (CommonMark, with raw HTML and autolinks on, as Obsidian renders them) plus the
// syntax Obsidian adds: [[links]], ![[embeds]], ==highlights==, %%comments%%, #tags, ^block-ids,
// $math$ and > [!callouts]. Each Obsidian rule runs in markdown-it's inline chain after its escape
// rule, so a backslash-escaped mark is text here as it is in Obsidian.
import MarkdownIt from "markdown-it";

type StateInline = import("markdown-it").StateInline;
type Token = import("markdown-it").Token;

/** Everything in a note that is not plain text, by kind. */
export interface MarkdownReport {
  images: string[];
  links: string[];
  html: string[];
  embeds: string[];
  wikilinks: string[];
  highlights: string[];
  comments: number;
  tags: string[];
  blockIds: string[];
  math: string[];
  /** The type of every callout, nested ones too. */
  callouts: string[];
  /** The language of every fenced or indented code block. */
  codeBlocks: string[];
}

function obsidianRule(name: string, re: RegExp) {
  return (state: StateInline, silent: boolean): boolean => {
    const m = re.exec(state.src.slice(state.pos));
    if (m === null || m.index !== 0) return false;
    if (name === "obsidian_tag" || name === "obsidian_blockid") {
      const before = state.src[state.pos - 1];
      if (before !== undefined && !/\s/.test(before)) return false;
    }
    if (!silent) {
      const t = state.push(name, "", 0);
      t.content = m[1] ?? m[0];
    }
    state.pos += m[0].length;
    return true;
  };
}

const md = new MarkdownIt({ html: true, linkify: true });
md.inline.ruler.before("link", "obsidian_embed", obsidianRule("obsidian_embed", /^!\[\[([^\]]*)\]\]/));
md.inline.ruler.before("link", "obsidian_wikilink", obsidianRule("obsidian_wikilink", /^\[\[([^\]]*)\]\]/));
md.inline.ruler.before("emphasis", "obsidian_highlight", obsidianRule("obsidian_highlight", /^==([^=]+)==/));
md.inline.ruler.before("emphasis", "obsidian_comment", obsidianRule("obsidian_comment", /^%%/));
md.inline.ruler.before("emphasis", "obsidian_tag", obsidianRule("obsidian_tag", /^#([A-Za-z][\w/-]*)/));
md.inline.ruler.before("emphasis", "obsidian_blockid", obsidianRule("obsidian_blockid", /^\^([A-Za-z0-9-]+)\s*$/));
md.inline.ruler.before("emphasis", "obsidian_math", obsidianRule("obsidian_math", /^\$([^$\s][^$]*)\$/));

/** Parses `markdown` as Obsidian would and lists everything that is not plain text. */
export function inspectMarkdown(markdown: string): MarkdownReport {
  const r: MarkdownReport = { images: [], links: [], html: [], embeds: [], wikilinks: [], highlights: [], comments: 0, tags: [], blockIds: [], math: [], callouts: [], codeBlocks: [] };
  const tokens = md.parse(markdown, {});
  const walk = (list: Token[]): void => {
    for (const t of list) {
      switch (t.type) {
        case "image":
          r.images.push(String(t.attrGet("src") ?? ""));
          break;
        case "link_open":
          r.links.push(String(t.attrGet("href") ?? ""));
          break;
        case "html_block":
        case "html_inline":
          r.html.push(t.content);
          break;
        case "fence":
          r.codeBlocks.push(t.info.trim());
          break;
        case "code_block":
          r.codeBlocks.push("(indented)");
          break;
        case "obsidian_embed":
          r.embeds.push(t.content);
          break;
        case "obsidian_wikilink":
          r.wikilinks.push(t.content);
          break;
        case "obsidian_highlight":
          r.highlights.push(t.content);
          break;
        case "obsidian_comment":
          r.comments++;
          break;
        case "obsidian_tag":
          r.tags.push(t.content);
          break;
        case "obsidian_blockid":
          r.blockIds.push(t.content);
          break;
        case "obsidian_math":
          r.math.push(t.content);
          break;
        default:
          break;
      }
      if (t.children !== null) walk(t.children);
    }
  };
  walk(tokens);
  // A callout is a blockquote whose first line is "[!type]".
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.type !== "blockquote_open") continue;
    const inline = tokens[i + 2];
    const m = tokens[i + 1]?.type === "paragraph_open" && inline?.type === "inline" ? /^\[!([^\]]+)\]/.exec(inline.content) : null;
    if (m !== null) r.callouts.push((m[1] ?? "").toLowerCase());
  }
  return r;
}

/** The report of a note with nothing but plain text, callouts and code blocks as given. */
export function plainReport(callouts: string[], codeBlocks: string[]): MarkdownReport {
  return { images: [], links: [], html: [], embeds: [], wikilinks: [], highlights: [], comments: 0, tags: [], blockIds: [], math: [], callouts, codeBlocks };
}
