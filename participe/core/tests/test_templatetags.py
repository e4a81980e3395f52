"""Template helpers: query strings for filters and pages, accessible form fields."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.test import RequestFactory

from participe.core.templatetags.participe import field, query_with


def test_it_replaces_one_query_parameter_and_keeps_the_others():
    request = RequestFactory().get("/demarches/?quand=ongoing&theme=mobilite&apres=abc")
    assert query_with({"request": request}, apres="xyz") == "?quand=ongoing&theme=mobilite&apres=xyz"
    assert query_with({"request": request}, apres=None, theme="") == "?quand=ongoing"
    assert query_with({"request": RequestFactory().get("/")}, apres="") == "?"


def test_it_escapes_query_values():
    request = RequestFactory().get("/")
    assert query_with({"request": request}, q='"><script>') == "?q=%22%3E%3Cscript%3E"


class ExampleForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il apparaît")
    agree = forms.BooleanField(label="J'accepte", required=False)


def test_it_ties_hints_and_errors_to_their_field():
    form = ExampleForm(data={})
    form.is_valid()
    context = field(form["name"])
    widget = str(context["widget"])
    assert 'aria-describedby="id_name-hint id_name-error"' in widget
    assert 'aria-invalid="true"' in widget
    assert "required" in widget
    assert context["hint"] == "Tel qu'il apparaît"


def test_it_renders_a_field_with_its_label():
    form = ExampleForm()
    html = Template("{% field form.name %}").render(Context({"form": form}))
    assert '<label for="id_name"' in html
    assert 'id="id_name-hint"' in html
    assert field(form["agree"])["is_checkbox"] is True
