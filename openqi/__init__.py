"""OpenQI: healthcare quality improvement platform."""
