"""Courier routes for a delivery slot: the slot's orders as stops, the vans on shift, and a
plan from the VROOM solver (pyvroom) that respects capacity and time windows.

    model.py    plain dataclasses (Place, Stop, Van, Plan ...) and the travel matrix helpers
    solver.py   solve(): the model in, a Plan out, through vroom.Input
    solomon.py  reader for the Solomon VRPTW text format (the routing benchmark's instances)
"""
