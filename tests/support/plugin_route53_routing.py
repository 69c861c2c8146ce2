"""Route 53 routing moto 5.2.x lacks: `GeoProximityLocation` and
`CidrRoutingConfig` on record sets, and CIDR collections.

moto's `RecordSet` keeps `MultiValueAnswer` but drops `GeoProximityLocation`
and `CidrRoutingConfig`, so such records read back as simple records with a
set identifier; and moto has no CIDR collection API at all. This plugin keeps
both members on the record set exactly as the request gave them (moto's
serializer writes them into ListResourceRecordSets answers; it looks
attributes up by snake-case name) and implements the six CIDR collection
operations lbctl calls, on an in-memory store per account.

AWS API reference:
- ResourceRecordSet (GeoProximityLocation, CidrRoutingConfig):
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html
- GeoProximityLocation:
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_GeoProximityLocation.html
- CreateCidrCollection:
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateCidrCollection.html
- ChangeCidrCollection:
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_ChangeCidrCollection.html
- ListCidrCollections, ListCidrLocations, ListCidrBlocks:
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListCidrCollections.html
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListCidrLocations.html
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_ListCidrBlocks.html
- DeleteCidrCollection:
  https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteCidrCollection.html
"""

import uuid

# account -> collection id -> {"Id", "Name", "Version", "Arn", "ref", "locations": {name: [cidr]}}
COLLECTIONS = {}


def _error(code, message):
    # moto finds an error's shape through the service of the exception's
    # module, so it must be one of moto.route53's.
    from moto.route53.exceptions import Route53ClientError

    return Route53ClientError(code, message)


def _store(response):
    return COLLECTIONS.setdefault(response.current_account, {})


def _collection(response, collection_id):
    c = _store(response).get(collection_id)
    if c is None:
        # API_ChangeCidrCollection.html, Errors: NoSuchCidrCollectionException (404)
        raise _error("NoSuchCidrCollectionException", f"The CIDR collection {collection_id} does not exist.")
    return c


def _summary(c):
    return {"Arn": c["Arn"], "Id": c["Id"], "Name": c["Name"], "Version": c["Version"]}


def create_cidr_collection(self):
    # API_CreateCidrCollection.html: Name and CallerReference; Version starts at 1.
    from moto.core.responses import ActionResult

    name = self._get_param("Name")
    ref = self._get_param("CallerReference")
    for c in _store(self).values():
        if c["Name"] == name:
            if c["ref"] == ref:  # a retry: the same answer
                return ActionResult({"Collection": _summary(c), "Location": f"/2013-04-01/cidrcollection/{c['Id']}"})
            raise _error("CidrCollectionAlreadyExistsException", f"A CIDR collection named {name} already exists.")
    cid = str(uuid.uuid4())
    c = {
        "Id": cid,
        "Name": name,
        "Version": 1,
        "Arn": f"arn:aws:route53:::cidrcollection/{cid}",
        "ref": ref,
        "locations": {},
    }
    _store(self)[cid] = c
    return ActionResult({"Collection": _summary(c), "Location": f"/2013-04-01/cidrcollection/{cid}"})


def change_cidr_collection(self):
    # API_ChangeCidrCollection.html: PUT adds blocks to a location (creating
    # it), DELETE_IF_EXISTS removes blocks (a location with no blocks left is
    # gone); CollectionVersion, when given, must be the current version
    # (CidrCollectionVersionMismatchException, 409); each change bumps it.
    from moto.core.responses import ActionResult

    c = _collection(self, self._get_param("Id"))
    version = self._get_param("CollectionVersion")
    if version is not None and int(version) != c["Version"]:
        raise _error(
            "CidrCollectionVersionMismatchException",
            f"The CIDR collection version {version} does not match the current version {c['Version']}.",
        )
    for change in self._get_param("Changes") or []:
        location = change["LocationName"]
        blocks = change.get("CidrList") or []
        have = c["locations"].setdefault(location, [])
        if change["Action"] == "PUT":
            have.extend(b for b in blocks if b not in have)
        else:
            c["locations"][location] = [b for b in have if b not in blocks]
        if not c["locations"][location]:
            del c["locations"][location]
    c["Version"] += 1
    return ActionResult({"Id": f"/change/{uuid.uuid4().hex[:14].upper()}"})


def list_cidr_collections(self):
    from moto.core.responses import ActionResult

    return ActionResult({"CidrCollections": [_summary(c) for c in _store(self).values()]})


def list_cidr_locations(self):
    from moto.core.responses import ActionResult

    c = _collection(self, self._get_param("CollectionId"))
    return ActionResult({"CidrLocations": [{"LocationName": n} for n in sorted(c["locations"])]})


def list_cidr_blocks(self):
    # API_ListCidrBlocks.html: every block of the collection, or of one
    # location (NoSuchCidrLocationException when it has none).
    from moto.core.responses import ActionResult

    c = _collection(self, self._get_param("CollectionId"))
    only = self._get_param("LocationName")
    if only is not None and only not in c["locations"]:
        raise _error("NoSuchCidrLocationException", f"The CIDR location {only} does not exist.")
    blocks = [
        {"CidrBlock": b, "LocationName": n}
        for n, bs in sorted(c["locations"].items())
        if only is None or n == only
        for b in bs
    ]
    return ActionResult({"CidrBlocks": blocks})


def delete_cidr_collection(self):
    # API_DeleteCidrCollection.html: only an empty collection
    # (CidrCollectionInUseException otherwise).
    from moto.core.responses import EmptyResult

    cid = self._get_param("Id")
    c = _collection(self, cid)
    if c["locations"]:
        raise _error("CidrCollectionInUseException", f"The CIDR collection {cid} is not empty.")
    del _store(self)[cid]
    return EmptyResult()


def install():
    from moto.route53 import models, responses, urls

    original = models.RecordSet.__init__

    def init(self, kwargs):
        original(self, kwargs)
        # API_GeoProximityLocation.html: Bias is an integer (-99..99); the
        # request parser leaves it text.
        geo = kwargs.get("GeoProximityLocation")
        if isinstance(geo, dict) and "Bias" in geo:
            geo = dict(geo, Bias=int(geo["Bias"]))
        self.geo_proximity_location = geo
        # API_CidrRoutingConfig.html: CollectionId and LocationName.
        self.cidr_routing_config = kwargs.get("CidrRoutingConfig")

    models.RecordSet.__init__ = init

    for f in (
        create_cidr_collection,
        change_cidr_collection,
        list_cidr_collections,
        list_cidr_locations,
        list_cidr_blocks,
        delete_cidr_collection,
    ):
        setattr(responses.Route53, f.__name__, f)
    dispatch = responses.Route53.dispatch
    urls.url_paths.update(
        {
            r"{0}/(?P<api_version>[\d_-]+)/cidrcollection$": dispatch,
            r"{0}/(?P<api_version>[\d_-]+)/cidrcollection/(?P<collection_id>[^/]+)$": dispatch,
            r"{0}/(?P<api_version>[\d_-]+)/cidrcollection/(?P<collection_id>[^/]+)/cidrblocks$": dispatch,
        }
    )
