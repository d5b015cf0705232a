"""Everything that turns the model into something a reader sees: pages, flowcharts, the browser
bundle and the differences between versions. These may use Jinja2 and Graphviz; `core` never
imports from here."""
