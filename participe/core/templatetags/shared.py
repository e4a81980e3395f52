"""``{% shared "name" arg… %}…{% hole %}…{% endhole %}…{% endshared %}``: a part of a page kept for every reader of
the same class, its holes rendered for each (``participe.core.shared``, decision 0046)."""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from participe.core import shared

register = template.Library()


class HoleNode(Node):
    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        self.index = -1

    def render(self, context: Context) -> str:
        if context.get(shared.FILLING):
            return shared.mark(self.index)
        return self.nodelist.render(context)


class SharedNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(
        self, name: FilterExpression, args: list[FilterExpression], nodelist: NodeList, steady: bool = False
    ) -> None:
        self.name, self.args, self.nodelist, self.steady = name, args, nodelist, steady
        self.holes: list[HoleNode] = nodelist.get_nodes_by_type(HoleNode)  # type: ignore[assignment]
        for index, hole in enumerate(self.holes):
            hole.index = index

    def render(self, context: Context) -> SafeString | str:
        request = context.get("request")
        key = shared.key(
            request,
            context.template,
            str(self.name.resolve(context)),
            [arg.resolve(context) for arg in self.args],
            steady=self.steady,
        )
        if key is None:
            return self.nodelist.render(context)
        found = shared.get(key)
        if found is None:
            with context.push({shared.FILLING: True, "csrf_token": shared.CSRF_SENTINEL}):
                html = str(self.nodelist.render(context))
            if shared.CSRF_SENTINEL in html:  # a form in the part: it is personal, rendered each time
                return self.nodelist.render(context)
            present = tuple(i for i in range(len(self.holes)) if shared.mark(i) in html)
            shared.keep(key, html, present)
        else:
            html, present = found
        for index in present:
            html = html.replace(shared.mark(index), str(self.holes[index].nodelist.render(context)))
        return mark_safe(html)  # noqa: S308  (rendered by the template engine, escaped there)


@register.tag("shared")
def do_shared(parser: Parser, token: Token) -> SharedNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% shared %} takes a name, then what else the part depends on.")
    steady = bits[-1] == "steady"  # the part shows nothing supports and comments change: it outlives them
    rest = bits[2:-1] if steady else bits[2:]
    name, args = parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in rest]
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(SharedNode):
        raise template.TemplateSyntaxError("{% shared %} parts are not nested.")
    return SharedNode(name, args, nodelist, steady)


@register.tag("hole")
def do_hole(parser: Parser, token: Token) -> HoleNode:
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)
