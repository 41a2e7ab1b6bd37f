"""Scripts that start the planner's services; run_network.py is also imported by the tests
and the load bench (where the set-up lives, which cookie routes a browser)."""
