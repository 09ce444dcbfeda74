"""Parcel-locker stations: the MQTT protocol, the bridge into Kosmos, the simulators."""
