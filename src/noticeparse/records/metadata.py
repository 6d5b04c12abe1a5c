"""Notice metadata (GB/T 9704): title, issuer, 发文字号, 主送, 成文日期, year, 附件, 抄送."""

from __future__ import annotations

import datetime as dt
import unicodedata

from ..models import Block, NoticeMeta
from ..rules import Rules
from ..structure import Tree
from ..structure.labels import label_category, match_heading, parse_label_value
from ..structure.layout import is_organ_line, parse_date_line, signature_lines
from ..text.width import fold_width
from .parens import split_top_level

__all__ = ["tree_to_metadata"]

# How many lines above a title's last line may belong to it.
DEFAULT_TITLE_LINES_ABOVE = 2
# A title's last line this short may continue the line above it.
DEFAULT_SHORT_TITLE_LINE = 12


def _compact(text: str) -> str:
    return "".join(fold_width(text).split())


def _folded(tree: Tree, k: int) -> str:
    """Block `k`'s folded text: its paragraph's reading, or a table's text folded."""
    paragraph = tree.paragraphs[k]
    return paragraph.folded if paragraph else fold_width(tree.blocks[k].text)


def _first_heading(tree: Tree) -> int:
    blocks = [n.block for n in tree.root.walk() if n.block is not None]
    return min(blocks, default=len(tree.blocks))


def _read_doc_number(text: str, rules: Rules) -> str | None:
    """A line that is a 发文字号 (brackets normalised) or a decree's number, else None."""
    meta = rules.metadata
    folded = fold_width(text).strip()
    m = meta.doc_number.fullmatch(folded)
    if m:
        prefix = "".join(m["prefix"].split())
        return meta.doc_number_format.format(prefix=prefix, year=m["year"], num=m["num"])
    m = meta.decree_number.fullmatch(folded)
    if m:
        return "".join(m["num"].split())
    return None


def _doc_number(head: list[Block], rules: Rules) -> str | None:
    return next((n for n in (_read_doc_number(b.text, rules) for b in head) if n), None)


def _is_title_line(text: str, rules: Rules) -> bool:
    meta = rules.metadata
    folded = fold_width(text).strip()
    compact = _compact(text)
    if not compact or len(compact) > meta.title_max_length:
        return False
    if any(m in folded for m in rules.text.sentence_end):
        return False
    if any(folded.endswith(s) for s in rules.text.label_separators):
        return False
    if meta.doc_number.fullmatch(folded) or meta.attachment.fullmatch(folded):
        return False
    if parse_label_value(text, rules) is not None:
        return False  # 标题：…通知 in a page's metadata table is a label and its value
    return _without_trailing_bracket(fold_width(compact), rules).endswith(tuple(meta.title_suffixes))


def _without_trailing_bracket(text: str, rules: Rules) -> str:
    """`…工作方案(初稿)` → `…工作方案`: a bracketed note after the document kind."""
    for pair in rules.text.brackets:
        if text.endswith(pair[1]) and pair[0] in text:
            return text[: text.rindex(pair[0])]
    return text


def _loose(text: str) -> str:
    """Letters and digits only, NFKC-folded: two printings of one title compare equal."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())


def _is_body_text(text: str, rules: Rules) -> bool:
    """A line of the document's body (a sentence, a `label：value` line), which no title follows."""
    folded = fold_width(text)
    return any(m in folded for m in (*rules.text.sentence_end, *rules.text.label_separators))


def _title(
    head: list[Block], tree: Tree, rules: Rules, fallback: bool = False
) -> tuple[str | None, int | None]:
    """The title line of the head and where it stands. With `fallback` (the page names the
    notice too), a title-like line below body text is a sub-heading (当天安排), not the title."""
    about = rules.metadata.about
    below_text = False  # body text since the top, or since a cover note's 落款
    for k, block in enumerate(head):
        if tree.roles.get(block.index) == "date":
            below_text = False
        if block.index in tree.roles or not _is_title_line(block.text, rules):
            below_text = below_text or (block.index not in tree.roles and _is_body_text(block.text, rules))
            continue
        if fallback and below_text:
            continue
        if k + 1 < len(head) and _loose(head[k + 1].text) == _loose(block.text):
            continue  # a site's title field above the document's own printing of it: the latter wins
        if _is_caption(block, tree):
            continue  # a table's caption is never the title
        parts = [block.text.strip()]
        line = _compact(block.text)
        for j in range(k - 1, max(-1, k - 1 - DEFAULT_TITLE_LINES_ABOVE), -1):
            prev = head[j]
            if prev.index in tree.roles or not is_organ_line(prev.text, rules):
                break
            joins = (
                line.startswith(about)
                or about in _compact(prev.text)
                # Only the line directly above continues into a short last line.
                or (j == k - 1 and len(line) <= DEFAULT_SHORT_TITLE_LINE)
            )
            if not joins:
                break
            parts.insert(0, prev.text.strip())
            line = _compact(prev.text)
        return "".join(parts), block.index
    return None, None


def _is_caption(block: Block, tree: Tree) -> bool:
    """A line directly above a table (blank lines aside) names that table."""
    following = (b for b in tree.blocks[block.index + 1 :] if b.text.strip())
    nxt = next(following, None)
    return nxt is not None and nxt.kind == "table"


def _styled_title(head: list[Block], tree: Tree, rules: Rules) -> tuple[str | None, int | None]:
    """A title the format marked: Word's Title style (its lines joined), else the top heading
    (Word's Heading 1, HTML h1, a PDF's largest line)."""
    marked = [b for b in head if b.level_hint == 0 and b.index not in tree.roles]
    if marked:
        run = [marked[0]]
        for block in marked[1:]:
            if block.index != run[-1].index + 1:
                break
            run.append(block)
        return "".join(b.text.strip() for b in run), run[-1].index
    for block in head:
        if block.level_hint != 1 or block.index in tree.roles:
            continue
        folded = fold_width(block.text).strip()
        if len(_compact(block.text)) > rules.metadata.title_max_length:
            continue
        if any(m in folded for m in rules.text.sentence_end) or folded.endswith(tuple(rules.text.label_separators)):
            continue
        return block.text.strip(), block.index
    return None, None


def _split_list(text: str, rules: Rules) -> list[str]:
    parts = split_top_level(text, rules.metadata.list_separators, rules)
    return [p.strip() for _, p in parts if p.strip()]


def _recipients(head: list[Block], title_at: int | None, rules: Rules) -> list[str]:
    meta = rules.metadata
    for block in head:
        if block.index == title_at:
            continue
        folded = fold_width(block.text).strip()
        if not folded.endswith(tuple(meta.recipients_end)):
            continue
        if any(m in folded for m in rules.text.sentence_end):
            continue
        if folded.endswith(tuple(meta.recipients_not_suffix)) or match_heading(block.text, rules):
            continue
        body = block.text.strip()[:-1]
        if any(end in folded[:-1] for end in meta.recipients_end) or len(_compact(body)) < 2:
            continue  # two labels on one line (关： 期：), or a label's last glyph (题：): not organs
        label = _compact(body)
        if label_category(label, rules) or any(label.startswith(n) for n in meta.recipients_not_labels):
            continue
        return _split_list(body, rules)
    return []


def _is_person(text: str, rules: Rules) -> bool:
    compact = _compact(text)
    return any(compact.startswith(t) and len(compact) <= len(t) + 4 for t in rules.metadata.person_titles)


def _masthead(head: list[Block], rules: Rules) -> str | None:
    organs = tuple(rules.orgs.suffixes)
    for block in head:
        compact = _compact(block.text)
        for suffix in rules.metadata.masthead_suffixes:
            # 国务院办公厅文件 is a 版头; 2026年中央一号文件 is a title (its stem names no organ).
            if compact.endswith(suffix) and compact[: -len(suffix)].endswith(organs):
                return block.text.strip()[: -len(suffix)].strip()
    return None


def _signed_names(line: str, rules: Rules) -> list[str]:
    """The organs of one signature line: joint organs printed side by side are separate names."""
    parts = line.split()
    suffixes = tuple(rules.orgs.suffixes)
    if len(parts) > 1 and all(p.endswith(suffixes) and len(p) > 2 for p in parts):
        return parts
    return [line.strip()]


def _signers_organ(blocks: list[Block], j: int, rules: Rules) -> str | None:
    """The organ of a line `organ + role：` at `j` that leads persons' signatures, or None."""
    if j < 0 or blocks[j].kind != "paragraph":
        return None
    text = blocks[j].text.strip()
    folded = fold_width(text)
    if not folded.endswith(tuple(rules.text.label_separators)):
        return None
    stem = rest = folded[:-1].rstrip()
    roles = sorted((fold_width(r) for r in rules.metadata.signer_roles), key=len, reverse=True)
    while role := next((r for r in roles if rest.endswith(r)), None):  # 全体合伙人: both roles go
        rest = rest[: -len(role)].rstrip()
    organ = text[: len(rest)]  # width folding keeps every character's place
    if rest == stem or not is_organ_line(organ, rules):
        return None
    return organ.strip()


def _date_and_issuer(
    tree: Tree, head: list[Block], title: str | None, rules: Rules, page_issuer: str | None
) -> tuple[dt.date | None, str | None]:
    blocks = tree.blocks
    dates = [i for i, role in sorted(tree.roles.items()) if role == "date"]
    chosen, issuer = None, None
    for i in dates:
        signature = signature_lines(blocks, i, rules)
        signers = _signers_organ(blocks, signature[0] - 1, rules) if signature else None
        if signers:
            chosen, issuer = i, signers
            break
        if signature and not any(_is_person(blocks[j].text, rules) for j in signature):
            chosen, issuer = i, "、".join(n for j in signature for n in _signed_names(blocks[j].text, rules))
            break
    if chosen is None and dates:
        chosen = dates[0]
    issue_date = None
    if chosen is not None:
        parsed = parse_date_line(blocks[chosen].text, rules)
        if parsed and parsed[2] is not None:
            issue_date = dt.date(*parsed)  # type: ignore[arg-type]
    if issuer is None:
        issuer = _masthead(head, rules) or page_issuer
    about = rules.metadata.about
    if issuer is None and title and about in title:
        issuer = title.split(about, 1)[0].strip() or None
    if issuer is None and title:
        issuer = _title_organ(title, rules)
    return issue_date, issuer


def _title_organ(title: str, rules: Rules) -> str | None:
    """The organ a title without 关于 opens with, before its year (`洪泽区人民政府2023年…报告`)."""
    m = rules.metadata.year.search(fold_width(title))
    head = title[: m.start()].strip() if m else ""
    if len(head) > 2 and head.endswith(tuple(rules.orgs.suffixes)) and is_organ_line(head, rules):
        return head
    return None


def _year(title: str | None, issue_date: dt.date | None, tree: Tree, rules: Rules) -> int | None:
    meta = rules.metadata
    if title:
        m = meta.year.search(fold_width(title))
        if m:
            return int(m.group(0))
    if issue_date:
        return issue_date.year
    for k in range(len(tree.blocks)):
        m = meta.body_year.search(_folded(tree, k))
        if m:
            return int(m["year"])
    return None


def _attachments(tree: Tree, rules: Rules) -> list[str]:
    meta = rules.metadata
    blocks = tree.blocks
    for i, block in enumerate(blocks):
        if tree.roles.get(i) != "attachment":
            continue
        folded = fold_width(block.text).strip()
        m = meta.attachment.fullmatch(folded)
        if m is None:
            return []
        offset = len(block.text) - len(block.text.lstrip())
        rest = block.text[offset + m.start("rest") : offset + m.end("rest")].strip()
        items = _numbered(rest, rules) if rest else []
        j = i + 1
        while j < len(blocks):
            text, folded = blocks[j].text, fold_width(blocks[j].text).strip()
            again = meta.attachment.fullmatch(folded)
            if again and again["rest"].strip():
                # 附件一：… ⏎ 附件二：…: each attachment on its own labelled line.
                lead = len(text) - len(text.lstrip())
                items.extend(_numbered(text[lead + again.start("rest") : lead + again.end("rest")], rules))
            elif meta.attachment_item.match(folded):
                items.extend(_numbered(text, rules))
            else:
                break
            j += 1
        if not items and j < len(blocks) and j not in tree.roles:
            nxt = blocks[j].text.strip()
            if _compact(nxt) and not any(m in nxt for m in rules.text.sentence_end):
                items = [nxt]
        return [_trim_item(x, rules) for x in items if _trim_item(x, rules)]
    return []


def _numbered(text: str, rules: Rules) -> list[str]:
    folded = fold_width(text)
    cuts = [m.span() for m in rules.metadata.attachment_item.finditer(folded)]
    if not cuts:
        return [text.strip()]
    bounds = [e for _, e in cuts]
    starts = [s for s, _ in cuts[1:]] + [len(text)]
    return [text[b:e].strip() for b, e in zip(bounds, starts, strict=True)]


def _trim_item(text: str, rules: Rules) -> str:
    text = text.strip()
    while text and text[-1] in "".join(rules.text.value_trailing + rules.metadata.list_separators):
        text = text[:-1].rstrip()
    return text


def _cc(tree: Tree, rules: Rules) -> list[str]:
    for k, block in enumerate(tree.blocks):
        m = rules.metadata.cc.fullmatch(_folded(tree, k).strip())
        if m:
            offset = len(block.text) - len(block.text.lstrip())
            rest = block.text[offset + m.start("rest") : offset + m.end("rest")]
            return [_trim_item(x, rules) for x in _split_list(rest, rules) if _trim_item(x, rules)]
    return []


def _page_date(page_meta: dict[str, str], rules: Rules) -> dt.date | None:
    parsed = parse_date_line(page_meta.get("issue_date", ""), rules)
    if parsed and parsed[2] is not None:
        return dt.date(*parsed)  # type: ignore[arg-type]
    return None


def _page_year(page_meta: dict[str, str], rules: Rules) -> int | None:
    """The year of the page's publication date (发布时间): the reference year of last resort."""
    m = rules.metadata.year.search(fold_width(page_meta.get("published", "")))
    return int(m.group(0)) if m else None


def _page_doc_number(page_meta: dict[str, str], rules: Rules) -> str | None:
    value = page_meta.get("doc_number")
    if not value:
        return None
    return _read_doc_number(value, rules) or value.strip()


def tree_to_metadata(tree: Tree, rules: Rules, page_meta: dict[str, str] | None = None) -> NoticeMeta:
    """Read the notice's GB/T 9704 elements from the lines around its body.

    What the document prints wins; `page_meta` (a web page's metadata table and
    headline) fills what it does not.
    """
    page = page_meta or {}
    named = bool(page.get("title") or page.get("headline"))  # the page names the notice too
    head = [b for b in tree.blocks[: _first_heading(tree)] if b.kind == "paragraph"]
    signed = min((i for i, role in tree.roles.items() if role == "date"), default=None)
    if named and signed is not None and any(
        b.index > signed and _read_doc_number(b.text, rules) for b in head
    ):
        # A forwarding note (转发…的通知) whose 落款 is followed by another organ's document with
        # its own 发文字号: that title and 字号 are the forwarded document's; the page names the notice.
        head = [b for b in head if b.index < signed]
    doc_number = _doc_number(head, rules) or _page_doc_number(page, rules)
    title, title_at = _title(head, tree, rules, fallback=named)
    if title is None:
        title, title_at = _styled_title(head, tree, rules)
    if title is None:
        title = page.get("title") or page.get("headline")
    issue_date, issuer = _date_and_issuer(tree, head, title, rules, page.get("issuer"))
    issue_date = issue_date or _page_date(page, rules)
    return NoticeMeta(
        title=title,
        issuer=issuer,
        doc_number=doc_number,
        recipients=_recipients(head, title_at, rules),
        issue_date=issue_date,
        year=_year(title, issue_date, tree, rules) or _page_year(page, rules),
        attachments=_attachments(tree, rules),
        cc=_cc(tree, rules),
    )


