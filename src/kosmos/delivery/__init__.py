"""Fresh delivery: same-day slots, parcel lockers with temperature zones (stations speak
MQTT, see kosmos.integrations.lockers.mqtt), click & collect, courier routes and drones."""
