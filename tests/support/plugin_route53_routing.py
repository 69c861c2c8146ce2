"""Route 53 routing members moto 5.2.x drops: `GeoProximityLocation`.

moto's `RecordSet` keeps `MultiValueAnswer` but not `GeoProximityLocation`,
so a geoproximity record read back looks like a simple record with a set
identifier. This plugin keeps the member on the record set exactly as the
request gave it; moto's serializer then writes it into
ListResourceRecordSets answers (it looks attributes up by snake-case name).

AWS API reference:
- ResourceRecordSet, member GeoProximityLocation:
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
- GeoProximityLocation (AWSRegion, LocalZoneGroup, Coordinates, Bias):
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_GeoProximityLocation.html
"""


def install():
    from moto.route53 import models

    original = models.RecordSet.__init__

    def init(self, kwargs):
        original(self, kwargs)
        # https://docs.aws.amazon.com/Route53/latest/APIReference/API_GeoProximityLocation.html
        # Bias is an integer (-99..99); the request parser leaves it text.
        geo = kwargs.get("GeoProximityLocation")
        if isinstance(geo, dict) and "Bias" in geo:
            geo = dict(geo, Bias=int(geo["Bias"]))
        self.geo_proximity_location = geo

    models.RecordSet.__init__ = init
