"""The standard-library core: the model, the calendar and the engine.

Exactly these modules ship to the browser as the engine wheel, so nothing here may import from
`generator.views`, `generator.load` or any third-party package.
"""
