from participe.search import text


def test_fold_removes_accents_and_case():
    assert text.fold("ÉCOLE Œuvre") == "ecole oeuvre"


def test_plurals_are_folded():
    assert text.terms("écoles chevaux bureaux jeux bus") == ["ecole", "cheval", "bureau", "jeu", "bus"]
    assert text.terms("ECOLE") == text.terms("écoles")


def test_plain_text_strips_tags_and_decodes_entities():
    assert text.plain_text("<p>a &lt; b</p><script>alert(1)</script>\x02") == "a < b"


def test_parse_query_words_phrases_exclusions_or():
    parsed = text.parse_query('les écoles "jardin partagé" -bruit OR vélos')
    assert parsed.groups == [["ecole", "jardin partage"], ["velo"]]
    assert parsed.excluded == ["bruit"]
    assert text.fts5_expression(parsed) == '(("ecole" AND "jardin partage") OR ("velo")) NOT "bruit"'


def test_parse_query_keeps_stop_words_when_nothing_else():
    assert text.parse_query("les").groups == [["les"]]


def test_parse_query_of_punctuation_is_empty():
    assert text.parse_query('!!! "" -').is_empty


def test_fts5_syntax_typed_is_quoted():
    expression = text.fts5_expression(text.parse_query("NEAR(vélo cargo) title:x *"))
    assert expression == '("near" AND "velo" AND "cargo" AND "title" AND "x")'


def test_highlight_escapes_everything_but_marks():
    html = text.highlight("<script>alert('école')</script> Écoles", {"ecole"})
    assert html == "&lt;script&gt;alert(&#x27;<mark>école</mark>&#x27;)&lt;/script&gt; <mark>Écoles</mark>"


def test_highlight_excerpt_around_first_match():
    body = "mot " * 200 + "piscine " + "mot " * 200
    excerpt = text.highlight(body, {"piscine"}, limit=100)
    assert "<mark>piscine</mark>" in excerpt
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert len(excerpt) < 140


def test_marked_escapes_headline():
    assert text.marked("<b>\x02école\x03</b>") == "&lt;b&gt;<mark>école</mark>&lt;/b&gt;"
