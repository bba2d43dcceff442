"""The web app for facilitators (`plenary serve`): upload notes, watch the run, read themes, edit the plan.

Start it with `pipeline.web.app.create_app(WebConfig(...))`, or from the command line.
"""
