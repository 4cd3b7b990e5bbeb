"""mkdocs.yml as a typed, allow-listed site configuration: every hostile value an editor with write access
could try is a located error (or provably harmless), never a traceback; what is allowed reaches the site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build_sites
from generator.site_config import MAX_BYTES, SiteConfig, read_site_config
from plan_edits import Write, edited

REPO = Path(__file__).parent.parent
LOGO = b"\x89PNG\r\n\x1a\n"
URL_HINT = "write the whole address, e.g. https://www.example.gov.uk/"
NOT_HTTP = "is not an https:// or http:// address"
NOT_HTTP_OR_MAIL = "is not an https:// or http:// address or a mailto: address"
REMOTE = ("is not a path inside docs_theme/; remote or absolute images are refused, since a third-party host "
          "would then see every reader")
TOP_HINT = "mkdocs.yml may set copyright, site_url, site_description, theme and extra"


def plan_with(tmp_path: Path, text: str | bytes, logo: bool = True) -> Path:
    root = tmp_path / "plan"
    root.mkdir()
    (root / "mkdocs.yml").write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    if logo:
        (root / "docs_theme" / "images").mkdir(parents=True)
        (root / "docs_theme" / "images" / "logo.png").write_bytes(LOGO)
    return root


def problems(root: Path) -> list[str]:
    config, diags = read_site_config(root)
    assert not diags or config == SiteConfig(), "a refused configuration must not be half used"
    return [f"{d.file}:{d.line}:{d.col}: {d.code}: {d.message}" for d in diags]


def homepage(value: str) -> str:
    return f"extra:\n  homepage: {value}\n"


# (case name, mkdocs.yml, the exact diagnostics)
HOSTILE = [
    # theme.palette: colours are Material's names, nothing else reaches the page's attributes
    ("palette-primary-markup", "theme:\n  palette:\n    primary: 'indigo\"><script>alert(1)</script>'\n",
     ["mkdocs.yml:3:14: C603: theme.palette.primary: 'indigo\"><script>alert(1)</script>' is not one of "
      "Material's primary colours"]),
    ("palette-accent-markup-in-list", "theme:\n  palette:\n    - accent: \"red' onmouseover='alert(1)\"\n",
     ["mkdocs.yml:3:15: C603: theme.palette[1].accent: 'red' onmouseover='alert(1)' is not one of Material's "
      "accent colours"]),
    ("palette-accent-not-an-accent", "theme:\n  palette: {accent: brown}\n",
     ["mkdocs.yml:2:21: C603: theme.palette.accent: 'brown' is not one of Material's accent colours"]),
    ("palette-scheme-unknown", "theme:\n  palette: {scheme: dark}\n",
     ["mkdocs.yml:2:21: C603: theme.palette.scheme: 'dark' is not a colour scheme"]),
    ("palette-media-injection", "theme:\n  palette:\n    - media: '(prefers-color-scheme: dark)\" onclick=\"alert(1)'\n",
     ["mkdocs.yml:3:14: C603: theme.palette[1].media: '(prefers-color-scheme: dark)\" onclick=\"alert(1)' is not a "
      "media query the palette toggle supports"]),
    ("palette-toggle-name-markup",
     "theme:\n  palette:\n    - toggle: {icon: material/brightness-7, name: '\"><img src=x onerror=alert(1)>'}\n",
     ["mkdocs.yml:3:51: C603: theme.palette[1].toggle.name: '\"><img src=x onerror=alert(1)>' is not a plain label"]),
    ("palette-toggle-icon-traversal", "theme:\n  palette:\n    - toggle: {icon: ../../../etc/passwd, name: Dark}\n",
     ["mkdocs.yml:3:22: C603: theme.palette[1].toggle.icon: '../../../etc/passwd' is not one of Material's "
      "bundled icons"]),
    ("palette-toggle-unknown-key", "theme:\n  palette:\n    - toggle: {icon: material/brightness-7, name: Dark, "
                                   "onclick: x}\n",
     ["mkdocs.yml:3:57: C601: unknown setting 'theme.palette.toggle.onclick'"]),
    ("palette-not-a-mapping", "theme:\n  palette: indigo\n",
     ["mkdocs.yml:2:12: C602: theme.palette must be a list"]),
    # site_url
    ("site-url-quote", "site_url: 'https://x.example/\"'\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example/\"' holds '\"', which an address may not; it must be "
      "an https:// or http:// address"]),
    ("site-url-angle-bracket", "site_url: https://x.example/<b>\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example/<b>' holds '<', which an address may not; it must be "
      "an https:// or http:// address"]),
    ("site-url-apostrophe", "site_url: \"https://x.example/'\"\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example/'' holds ''', which an address may not; it must be "
      "an https:// or http:// address"]),
    ("site-url-space", "site_url: https://x.example/our plan/\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example/our plan/' holds a space, which an address may not; "
      "it must be an https:// or http:// address"]),
    ("site-url-javascript", "site_url: 'javascript:alert(1)//'\n",
     [f"mkdocs.yml:1:11: C604: site_url: 'javascript:alert(1)//' {NOT_HTTP}"]),
    ("site-url-userinfo", "site_url: https://council.gov.uk@evil.example/\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://council.gov.uk@evil.example/' has a user name before its host "
      "('@'), which can disguise the real host"]),
    ("site-url-fragment", "site_url: https://x.example/#top\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example/#top' has a query or '#' fragment; the site's "
      "address may not"]),
    ("site-url-no-host", "site_url: https:///plan/\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https:///plan/' has no valid host name"]),
    ("site-url-protocol-relative", "site_url: //evil.example/\n",
     [f"mkdocs.yml:1:11: C604: site_url: '//evil.example/' {NOT_HTTP}"]),
    ("site-url-backslash", "site_url: 'https://x.example\\@evil.example/'\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example\\@evil.example/' holds '\\', which an address may "
      "not; it must be an https:// or http:// address"]),
    ("site-url-bad-port", "site_url: https://x.example:99999/\n",
     ["mkdocs.yml:1:11: C604: site_url: 'https://x.example:99999/' has an invalid port"]),
    ("site-url-not-text", "site_url: [https://x.example/]\n", ["mkdocs.yml:1:11: C602: site_url must be text"]),
    # extra.homepage: javascript:, data:, vbscript: in every disguise
    ("homepage-javascript-mixed-case", homepage("'JaVaScRiPt:alert(1)'"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: 'JaVaScRiPt:alert(1)' {NOT_HTTP}"]),
    ("homepage-javascript-entity", homepage("'javascript&#58;alert(1)'"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: 'javascript&#58;alert(1)' {NOT_HTTP}"]),
    ("homepage-javascript-leading-space", homepage("' javascript:alert(1)'"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: ' javascript:alert(1)' {NOT_HTTP}"]),
    ("homepage-javascript-tab-inside", homepage('"java\\tscript:alert(1)"'),
     [f"mkdocs.yml:2:13: C604: extra.homepage: 'java\\u0009script:alert(1)' {NOT_HTTP}"]),
    ("homepage-javascript-newline-inside", homepage('"java\\nscript:alert(1)"'),
     [f"mkdocs.yml:2:13: C604: extra.homepage: 'java\\u000ascript:alert(1)' {NOT_HTTP}"]),
    ("homepage-https-then-tab", homepage('"https:\\t//x.example/"'),
     ["mkdocs.yml:2:13: C604: extra.homepage: 'https:\\u0009//x.example/' holds a tab, which an address may not; "
      "it must be an https:// or http:// address"]),
    ("homepage-vbscript", homepage("'VBScript:msgbox(1)'"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: 'VBScript:msgbox(1)' {NOT_HTTP}"]),
    ("homepage-data", homepage("'DATA:text/html;base64,PHNjcmlwdD4='"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: 'DATA:text/html;base64,PHNjcmlwdD4=' {NOT_HTTP}"]),
    ("homepage-protocol-relative", homepage("//evil.example/"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: '//evil.example/' {NOT_HTTP}"]),
    ("homepage-relative-path", homepage("../../staff/"),
     [f"mkdocs.yml:2:13: C604: extra.homepage: '../../staff/' {NOT_HTTP}"]),
    ("homepage-deeply-nested", homepage("[[[[[[[[https://x.example/]]]]]]]]"),
     ["mkdocs.yml:2:13: C602: extra.homepage must be text"]),
    # extra.social
    ("social-link-javascript", "extra:\n  social:\n    - {icon: fontawesome/brands/github, link: 'javascript:alert(1)'}\n",
     [f"mkdocs.yml:3:47: C604: extra.social[1].link: 'javascript:alert(1)' {NOT_HTTP_OR_MAIL}"]),
    ("social-link-mailto-with-markup",
     "extra:\n  social:\n    - {icon: fontawesome/solid/envelope, link: 'mailto:a@b.example?body=\"><script>'}\n",
     ["mkdocs.yml:3:48: C604: extra.social[1].link: 'mailto:a@b.example?body=\"><script>' is not a plain mailto: "
      "address"]),
    ("social-icon-traversal", "extra:\n  social:\n    - {icon: ../../x, link: 'https://x.example/'}\n",
     ["mkdocs.yml:3:14: C603: extra.social[1].icon: '../../x' is not one of Material's bundled icons"]),
    ("social-icon-unknown", "extra:\n  social:\n    - {icon: fontawesome/brands/nothing, link: 'https://x.example/'}\n",
     ["mkdocs.yml:3:14: C603: extra.social[1].icon: 'fontawesome/brands/nothing' is not one of Material's bundled "
      "icons"]),
    ("social-not-a-list", "extra:\n  social: {icon: fontawesome/brands/github}\n",
     ["mkdocs.yml:2:11: C602: extra.social must be a list"]),
    ("social-missing-icon", "extra:\n  social:\n    - link: https://x.example/\n",
     ["mkdocs.yml:3:7: C602: extra.social[1] needs 'icon'"]),
    ("social-name-control-character",
     "extra:\n  social:\n    - {icon: fontawesome/brands/github, link: 'https://x.example/', name: \"Git\\x85Hub\"}\n",
     ["mkdocs.yml:3:75: L011: 'extra.social[1].name' holds the character U+0085 (a control character), which "
      "is not allowed in text"]),
    # extra: keys that load third-party code or are the generator's
    ("extra-analytics", "extra:\n  analytics: {provider: google, property: G-1}\n",
     ["mkdocs.yml:2:3: C601: 'extra.analytics' is not allowed: analytics loads a third-party script into every "
      "page, and that third party then sees every reader"]),
    ("extra-consent", "extra:\n  consent: {title: Cookies}\n",
     ["mkdocs.yml:2:3: C601: 'extra.consent' is not allowed: it belongs to analytics, which is not allowed"]),
    ("extra-alternate", "extra:\n  alternate: [{name: English, link: /en/}]\n",
     ["mkdocs.yml:2:3: C601: 'extra.alternate' is not allowed: it links every page to other addresses; the "
      "generator builds one language"]),
    ("extra-generator", "extra:\n  generator: true\n",
     ["mkdocs.yml:2:3: C601: 'extra.generator' is not allowed: the generator supplies it"]),
    ("extra-version", "extra:\n  version: {provider: mike}\n",
     ["mkdocs.yml:2:3: C601: 'extra.version' is not allowed: the generator supplies the version selector"]),
    ("extra-unknown", "extra:\n  banner: '<script>alert(1)</script>'\n",
     ["mkdocs.yml:2:3: C601: unknown setting 'extra.banner'"]),
    # top-level keys the generator supplies
    ("plugins", "plugins: [search]\n",
     ["mkdocs.yml:1:1: C601: 'plugins' is not allowed: plugins run code during the build; the generator supplies it"]),
    ("hooks", "hooks: [hooks/run.py]\n",
     ["mkdocs.yml:1:1: C601: 'hooks' is not allowed: hooks run code during the build; the generator supplies it"]),
    ("markdown-extensions", "markdown_extensions: [pymdownx.snippets]\n",
     ["mkdocs.yml:1:1: C601: 'markdown_extensions' is not allowed: extensions run code during the build; the "
      "generator supplies it"]),
    ("extra-javascript", "extra_javascript: [https://evil.example/x.js]\n",
     ["mkdocs.yml:1:1: C601: 'extra_javascript' is not allowed: it would load scripts into every page; the "
      "generator supplies it"]),
    ("extra-css", "extra_css: [https://evil.example/x.css]\n",
     ["mkdocs.yml:1:1: C601: 'extra_css' is not allowed: it would load styles into every page; put your "
      "styles in docs_theme/assets/extra.css instead (every page loads that file)"]),
    ("nav", "nav: [{Home: index.md}]\n", ["mkdocs.yml:1:1: C601: 'nav' cannot be set in mkdocs.yml: the generator "
                                          "supplies it"]),
    ("docs-dir", "docs_dir: /etc\n", ["mkdocs.yml:1:1: C601: 'docs_dir' cannot be set in mkdocs.yml: the "
                                      "generator supplies it"]),
    ("site-name", "site_name: '<script>alert(1)</script>'\n",
     ["mkdocs.yml:1:1: C601: 'site_name' cannot be set in mkdocs.yml: the generator supplies it"]),
    ("unknown-top-level", "colour: red\n", ["mkdocs.yml:1:1: C601: unknown setting 'colour'"]),
    ("theme-custom-dir", "theme:\n  custom_dir: /tmp/evil\n",
     ["mkdocs.yml:2:3: C601: 'theme.custom_dir' is not allowed: the generator uses the plan's docs_theme/ folder"]),
    ("theme-name", "theme:\n  name: mkdocs\n",
     ["mkdocs.yml:2:3: C601: 'theme.name' is not allowed: the generator always uses Material"]),
    ("theme-font", "theme:\n  font: {text: Roboto}\n",
     ["mkdocs.yml:2:3: C601: 'theme.font' is not allowed: web fonts come from Google, which would then see every "
      "reader; the generator turns them off"]),
    ("theme-static-templates", "theme:\n  static_templates: [x.html]\n",
     ["mkdocs.yml:2:3: C601: 'theme.static_templates' cannot be set in mkdocs.yml: the generator supplies it"]),
    # shapes
    ("theme-not-a-mapping", "theme: material\n", ["mkdocs.yml:1:8: C602: theme must be a mapping of settings "
                                                  "(name: value)"]),
    ("extra-a-list", "extra:\n  - homepage\n", ["mkdocs.yml:2:3: C602: extra must be a mapping of settings "
                                                "(name: value)"]),
    ("whole-file-a-list", "- theme\n- extra\n", ["mkdocs.yml:1:1: C602: mkdocs.yml must be a mapping of settings "
                                                 "(name: value)"]),
    ("whole-file-text", "just some words\n", ["mkdocs.yml:1:1: C602: mkdocs.yml must be a mapping of settings "
                                              "(name: value)"]),
    ("duplicate-key", "theme:\n  language: en\n  language: cy\n",
     ["mkdocs.yml:3:3: L005: duplicate key 'language' (first written at line 2)"]),
    ("python-tag", "copyright: !!python/object/apply:os.system ['touch PWNED']\n",
     ["mkdocs.yml:1:12: C602: copyright must be text",
      "mkdocs.yml:1:12: L006: the tag '!!python/object/apply:os.system' is not allowed"]),
    ("nested-too-deep", "extra:\n  homepage: " + "[" * 70 + "]" * 70 + "\n",
     ["mkdocs.yml:2:75: L008: values are nested more than 64 levels deep"]),
    ("yaml-syntax-error", "theme:\n  palette: {primary: indigo\n",
     ["mkdocs.yml:2:12: L004: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping)"]),
    ("binary-file", b"theme:\x00\x01\x02\n", ["mkdocs.yml:1:1: L003: this is a binary file, not text"]),
    # theme.language, theme.features, theme.icon
    ("language-unknown", "theme:\n  language: xx\n",
     ["mkdocs.yml:2:13: C603: theme.language: 'xx' is not one of Material's languages"]),
    ("language-path", "theme:\n  language: ../en\n",
     ["mkdocs.yml:2:13: C603: theme.language: '../en' is not one of Material's languages"]),
    ("feature-unknown", "theme:\n  features: [navigation.top, navigation.instant]\n",
     ["mkdocs.yml:2:30: C603: theme.features[2]: 'navigation.instant' is not a feature flag the generator allows"]),
    ("features-not-a-list", "theme:\n  features: navigation.top\n",
     ["mkdocs.yml:2:13: C602: theme.features must be a list"]),
    ("icon-logo-traversal", "theme:\n  icon: {logo: ../../../../etc/passwd}\n",
     ["mkdocs.yml:2:16: C603: theme.icon.logo: '../../../../etc/passwd' is not one of Material's bundled icons"]),
    # theme.logo and theme.favicon: files of the plan's own docs_theme/ only
    ("logo-remote", "theme:\n  logo: https://evil.example/logo.png\n",
     [f"mkdocs.yml:2:9: C605: theme.logo: 'https://evil.example/logo.png' {REMOTE}"]),
    ("logo-absolute", "theme:\n  logo: /etc/passwd\n", [f"mkdocs.yml:2:9: C605: theme.logo: '/etc/passwd' {REMOTE}"]),
    ("logo-parent", "theme:\n  logo: ../x.png\n",
     ["mkdocs.yml:2:9: C605: theme.logo: '../x.png' leaves the docs_theme/ folder ('..')"]),
    ("logo-backslash", "theme:\n  logo: 'images\\..\\..\\x.png'\n",
     [f"mkdocs.yml:2:9: C605: theme.logo: 'images\\..\\..\\x.png' {REMOTE}"]),
    ("logo-missing", "theme:\n  logo: images/nope.png\n",
     ["mkdocs.yml:2:9: C605: theme.logo: 'images/nope.png' does not exist in the docs_theme/ folder"]),
    ("logo-not-an-image", "theme:\n  logo: main.html\n",
     ["mkdocs.yml:2:9: C605: theme.logo: 'main.html' is not an image (.png, .svg, .ico, .jpg, .jpeg, .gif, .webp)"]),
    ("favicon-protocol-relative", "theme:\n  favicon: //evil.example/favicon.ico\n",
     [f"mkdocs.yml:2:12: C605: theme.favicon: '//evil.example/favicon.ico' {REMOTE}"]),
    ("favicon-data", "theme:\n  favicon: 'data:image/png;base64,iVBORw0KGgo='\n",
     [f"mkdocs.yml:2:12: C605: theme.favicon: 'data:image/png;base64,iVBORw0KGgo=' {REMOTE}"]),
    # text
    ("copyright-control-character", 'copyright: "Council\\x7f"\n',
     ["mkdocs.yml:1:12: L011: 'copyright' holds the character U+007F (a control character), which is not allowed "
      "in text"]),
    ("copyright-bidi-override", 'copyright: "Council \\u202eevil"\n',
     ["mkdocs.yml:1:12: L011: 'copyright' holds the character U+202E (a bidirectional control), which is not "
      "allowed in text"]),
    ("copyright-too-long", f"copyright: {'x' * 501}\n",
     ["mkdocs.yml:1:12: C603: copyright: the text is 501 characters long; at most 500 are allowed"]),
    ("copyright-a-number", "copyright: 2013\n", ["mkdocs.yml:1:12: C602: copyright must be text"]),
    ("description-a-mapping", "site_description: {a: b}\n", ["mkdocs.yml:1:19: C602: site_description must be text"]),
]


@pytest.mark.parametrize("name, text, want", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_value_is_a_located_error(tmp_path, name, text, want):
    assert sorted(problems(plan_with(tmp_path, text))) == sorted(want)


def test_there_are_many_hostile_cases():
    assert len(HOSTILE) >= 60 and len({c[0] for c in HOSTILE}) == len(HOSTILE)


def test_a_logo_linked_to_a_file_outside_docs_theme_is_refused(tmp_path):
    root = plan_with(tmp_path, "theme:\n  logo: images/secret.png\n")
    outside = tmp_path / "secret.png"
    outside.write_bytes(LOGO)
    os.symlink(outside, root / "docs_theme" / "images" / "secret.png")
    assert problems(root) == ["mkdocs.yml:2:9: C605: theme.logo: 'images/secret.png' leads outside the docs_theme/ "
                              "folder (a link to elsewhere)"]


def test_a_docs_theme_folder_linked_outside_the_plan_is_refused(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "images").mkdir(parents=True)
    (elsewhere / "images" / "logo.png").write_bytes(LOGO)
    root = plan_with(tmp_path, "theme:\n  logo: images/logo.png\n", logo=False)
    os.symlink(elsewhere, root / "docs_theme")
    assert problems(root) == ["mkdocs.yml:2:9: C605: theme.logo: 'images/logo.png' cannot be used: the docs_theme/ "
                              "folder is a link to a place outside the plan's folder"]


def test_a_logo_whose_file_name_holds_markup_is_refused(tmp_path):
    root = plan_with(tmp_path, "theme:\n  logo: 'images/a\"onerror=\"alert(1).png'\n")
    (root / "docs_theme" / "images" / 'a"onerror="alert(1).png').write_bytes(LOGO)
    assert problems(root) == ["mkdocs.yml:2:9: C605: theme.logo: 'images/a\"onerror=\"alert(1).png' may hold only "
                              "letters, digits, '.', '_', '-' and '/'"]


def test_a_logo_without_a_docs_theme_folder(tmp_path):
    root = plan_with(tmp_path, "theme:\n  logo: images/logo.png\n", logo=False)
    assert problems(root) == ["mkdocs.yml:2:9: C605: theme.logo: 'images/logo.png' cannot be found: the plan has "
                              "no docs_theme/ folder"]


def test_a_huge_mkdocs_yml_is_refused_before_it_is_parsed(tmp_path):
    root = plan_with(tmp_path, "copyright: x\n" + "# padding\n" * (10 * 1024 * 1024 // 10))
    size = (root / "mkdocs.yml").stat().st_size
    assert problems(root) == [f"mkdocs.yml:1:1: C602: mkdocs.yml is {size:,} bytes; at most {MAX_BYTES:,} are allowed"]


def test_refusals_carry_hints(tmp_path):
    _, diags = read_site_config(plan_with(tmp_path, "plugins: [search]\ntheme:\n  font: false\n"
                                                    "extra:\n  homepage: 'javascript:x'\n"))
    assert [(d.code, d.hint) for d in diags] == [
        ("C601", f"{TOP_HINT}; remove 'plugins'"),
        ("C601", "theme may set palette, features, language, logo, favicon and icon; remove 'font'"),
        ("C604", URL_HINT)]


def test_missing_or_comment_only_mkdocs_yml_gives_the_defaults(tmp_path):
    assert read_site_config(tmp_path) == (SiteConfig(), [])
    (tmp_path / "mkdocs.yml").write_text("# nothing set yet\n")
    assert read_site_config(tmp_path) == (SiteConfig(), [])
    assert SiteConfig().mkdocs_part() == {
        "theme": {"language": "en", "features": ["navigation.top", "search.highlight", "content.code.copy"]},
        "extra": {}, "copyright": None, "site_description": None, "site_url": None}


@pytest.mark.parametrize("given, base", [("https://x.example", "https://x.example/"),
                                         ("https://x.example/plan", "https://x.example/plan/"),
                                         ("http://x.example:8080/a/b///", "http://x.example:8080/a/b/")])
def test_site_url_is_normalised_to_end_in_a_slash(tmp_path, given, base):
    config, diags = read_site_config(plan_with(tmp_path, f"site_url: {given}\n"))
    assert (diags, config.site_url) == ([], base)


EVERYTHING = """\
copyright: Example Council <Children's Services>
site_url: https://plan.example.gov.uk/improvement
site_description: Our improvement plan
theme:
  language: cy
  logo: images/logo.png
  favicon: images/logo.png
  icon: {logo: material/home}
  features: [navigation.top, navigation.footer]
  palette:
    - media: '(prefers-color-scheme: light)'
      scheme: default
      primary: teal
      accent: amber
      toggle: {icon: material/brightness-7, name: Dark mode}
    - media: '(prefers-color-scheme: dark)'
      scheme: slate
      primary: black
      toggle: {icon: material/brightness-4, name: Light mode}
extra:
  homepage: https://www.example.gov.uk/
  social:
    - {icon: fontawesome/solid/envelope, link: 'mailto:improvement@example.gov.uk', name: Write to us}
    - {icon: fontawesome/brands/github, link: 'https://github.com/example'}
"""


def test_everything_allowed_becomes_the_editor_part_of_the_mkdocs_config(tmp_path):
    config, diags = read_site_config(plan_with(tmp_path, EVERYTHING))
    assert diags == []
    toggle = lambda icon, name: {"icon": f"material/{icon}", "name": name}  # noqa: E731
    assert config.mkdocs_part() == {
        "theme": {"language": "cy", "features": ["navigation.top", "navigation.footer"],
                  "palette": [{"scheme": "default", "primary": "teal", "accent": "amber",
                               "media": "(prefers-color-scheme: light)", "toggle": toggle("brightness-7", "Dark mode")},
                              {"scheme": "slate", "primary": "black", "media": "(prefers-color-scheme: dark)",
                               "toggle": toggle("brightness-4", "Light mode")}],
                  "logo": "images/logo.png", "favicon": "images/logo.png", "icon": {"logo": "material/home"}},
        "extra": {"homepage": "https://www.example.gov.uk/",
                  "social": [{"icon": "fontawesome/solid/envelope", "link": "mailto:improvement@example.gov.uk",
                              "name": "Write to us"},
                             {"icon": "fontawesome/brands/github", "link": "https://github.com/example"}]},
        "copyright": "Example Council <Children's Services>", "site_description": "Our improvement plan",
        "site_url": "https://plan.example.gov.uk/improvement/"}


def test_the_sample_and_starter_configurations_are_valid(tmp_path):
    assert read_site_config(REPO)[1] == []
    root = plan_with(tmp_path, (REPO / "generator" / "starter" / "mkdocs.yml").read_text("utf-8")
                     .replace("$organisation", "Example Council"))
    assert read_site_config(root)[1] == []


# --- through validate and build -----------------------------------------------------------------


def test_validate_reports_mkdocs_yml_and_exits_1_without_a_traceback(tmp_path):
    root = edited(tmp_path, Write("mkdocs.yml", "theme: dark\nextra:\n  analytics: {provider: google}\n"))
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(root)], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr and proc.returncode == 1
    assert [ln for ln in proc.stdout.splitlines() if not ln.startswith("    hint:")] == [
        "mkdocs.yml:1:8: error C602: theme must be a mapping of settings (name: value)",
        "mkdocs.yml:3:3: error C601: 'extra.analytics' is not allowed: analytics loads a third-party script into "
        "every page, and that third party then sees every reader"]


def test_build_stops_on_a_bad_mkdocs_yml_like_on_any_plan_error(tmp_path):
    root = edited(tmp_path, Write("mkdocs.yml", "copyright: a\ncopyright: b\n"))
    diags, stats = build_sites(root, tmp_path / "out")
    assert [(d.file, d.line, d.col, d.code) for d in diags] == [("mkdocs.yml", 2, 1, "L005")]
    assert stats == {} and not (tmp_path / "out").exists()


def test_allowed_settings_reach_the_built_pages(tmp_path):
    root = edited(tmp_path, Write("mkdocs.yml", EVERYTHING))
    (root / "docs_theme" / "images").mkdir(parents=True)  # a theme of its own holding only the logo
    (root / "docs_theme" / "images" / "logo.png").write_bytes(LOGO)
    out = tmp_path / "out"
    diags, _ = build_sites(root, out, workers=1)
    assert not [d for d in diags if d.severity.value == "error"], diags
    page = (out / "staff" / "draft" / "index.html").read_text("utf-8")
    assert '<html lang="cy"' in page
    assert 'data-md-color-primary="teal"' in page and 'data-md-color-accent="amber"' in page
    assert '<a href="https://www.example.gov.uk/" title=' in page
    assert '<img src="images/logo.png" alt="logo">' in page and '<link rel="icon" href="images/logo.png">' in page
    assert (out / "staff" / "draft" / "images" / "logo.png").read_bytes() == LOGO
    assert 'href="mailto:improvement@example.gov.uk"' in page and 'href="https://github.com/example"' in page
    assert "Example Council &lt;Children&#39;s Services&gt;" in page and "<Children's" not in page
    # site_url is the public edition's address; the staff edition's sitemap keeps placeholder addresses.
    sitemap = (out / "staff" / "draft" / "sitemap.xml").read_text("utf-8")
    assert "<loc>https://site.invalid/staff/draft/</loc>" in sitemap and "plan.example.gov.uk" not in sitemap
    assert json.loads((out / "staff" / "versions.json").read_text("utf-8"))[0]["version"] == "draft"


def test_workers_get_the_checked_configuration_and_never_read_mkdocs_yml(tmp_path):
    """The main process reads mkdocs.yml once; each build job carries the typed result to its worker."""
    import pickle

    from generator.build import editor_settings, plan_jobs, reporting_points, run_job
    from generator.validate import check_all

    root = edited(tmp_path, Write("mkdocs.yml", "theme:\n  palette: {primary: deep-orange}\n"))
    checked = check_all(root)
    assert checked.diagnostics == [] and checked.site.theme.palette[0].primary == "deep-orange"
    (tmp_path / "tmp").mkdir()
    points = reporting_points(checked.frozen, checked.plan)
    [job] = [j for j in plan_jobs(root, tmp_path / "tmp", checked.frozen, checked.plan, points, {},
                                  editor_settings(checked.site)) if j.mode == "build"]
    (root / "mkdocs.yml").write_text("plugins: [evil]\n")  # too late: the workers use what was checked
    job = pickle.loads(pickle.dumps(job))
    job.dest.parent.mkdir(parents=True)
    run_job(job)
    assert 'data-md-color-primary="deep-orange"' in (job.dest / "index.html").read_text("utf-8")
