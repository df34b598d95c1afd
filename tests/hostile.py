"""A corpus of hostile input: every entry point stores each string as text and shows it
escaped, or refuses it with a clear message. tests/test_hostile.py runs it.

Add a string here and every entry point and output is tried with it.
"""

MEGABYTE = 1024 * 1024

TEXT = {
    "script": "<script>window.__pwned = 'script'</script>",
    "img_onerror": "<img src=x onerror=\"window.__pwned = 'img'\">",
    "svg_onload": "<svg/onload=window.__pwned=1>",
    "attribute_breakout": '" autofocus onfocus="window.__pwned=1" x="',
    "single_quote_breakout": "' onmouseover='window.__pwned=1' '",
    "javascript_url": "javascript:window.__pwned=1//",
    "data_url": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "closing_tags": "</title></textarea></p></script><script>window.__pwned=1</script>",
    "comment_breakout": "--><script>window.__pwned=1</script><!--",
    "entities": "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &#60;b&#62;",
    "template_syntax": "{{ settings.SECRET_KEY }} {% debug %} {# hidden #} ${7*7} <%= 7*7 %>",
    "json_breakout": '"}</script><script>window.__pwned=1</script>{"',
    "style_injection": "<style>body{display:none}</style><link rel=stylesheet href=//evil.example>",
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "base_href": '<base href="//evil.example/">',
    "iframe": '<iframe src="//evil.example"></iframe>',
    "xml_entity": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    "cdata_breakout": "]]><script>window.__pwned=1</script>",
    "sql": "'; TRUNCATE articles_revision CASCADE; --",
    "format_strings": "%s %(name)s {0} {name} %n",
    "rtl_override": "\u202eeulav lanoitidart\u202c txet",
    "zero_width": "zero\u200bwidth\u200djoiner\ufeff",
    "line_separators": "one\u2028two\u2029three",
    "emoji": "\U0001f5de\ufe0f \U0001f469\U0001f3fd\u200d\U0001f4bb",
    "combining": "Z\u0351\u0364\u036b\u0341a\u0344\u0306\u0345l\u0357\u034ag\u0357o",
    "megabyte": "Long " * (MEGABYTE // 5),
    "megabyte_markup": "<b>" * (MEGABYTE // 3),
}

# Not text at all: refused wherever text is archived.
CONTROL = {
    "nul": "before\x00after",
    "bell": "ring\x07ring",
    "ansi_escape": "\x1b[2J\x1b[31mred",
    "backspace": "over\x08write",
    "delete": "del\x7fete",
    "lone_surrogate": "half\ud800pair",
}

STRINGS = {**TEXT, **CONTROL}

# Bytes that are not UTF-8: a wire file, a query string.
BROKEN_UTF8 = {
    "invalid_start": b"\xff\xfe caf\xe9",
    "truncated": b"caf\xc3",
    "encoded_surrogate": b"\xed\xa0\x80",
    "overlong_slash": b"\xc0\xaf\xc0\xafetc",
}
