//! Distances without PostGIS: a haversine on plain coordinates, and the latitude/longitude
//! box that contains a circle (what the index serves; the exact distance then cuts the box).

/// Mean Earth radius (IUGG), the same as the database's `sas_distance_km`.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
}

/// A box of latitudes and longitudes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    pub min_lat: f64,
    pub max_lat: f64,
    pub min_lon: f64,
    pub max_lon: f64,
}

/// The box containing every point within `radius_km` of (`lat`, `lon`). Near a pole (or for
/// a radius that wraps), the longitudes are left whole.
pub fn bounding_box(lat: f64, lon: f64, radius_km: f64) -> BoundingBox {
    let dlat = (radius_km / EARTH_RADIUS_KM).to_degrees();
    let (min_lat, max_lat) = ((lat - dlat).max(-90.0), (lat + dlat).min(90.0));
    let cos = lat.to_radians().cos();
    let dlon = if cos > 1e-6 {
        ((radius_km / EARTH_RADIUS_KM).sin() / cos)
            .min(1.0)
            .asin()
            .to_degrees()
    } else {
        180.0
    };
    if max_lat >= 90.0 || min_lat <= -90.0 || dlon >= 90.0 {
        return BoundingBox {
            min_lat,
            max_lat,
            min_lon: -180.0,
            max_lon: 180.0,
        };
    }
    BoundingBox {
        min_lat,
        max_lat,
        min_lon: (lon - dlon).max(-180.0),
        max_lon: (lon + dlon).min(180.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LYON: (f64, f64) = (45.758, 4.835);
    const VILLEURBANNE: (f64, f64) = (45.7667, 4.8803);
    const GRENOBLE: (f64, f64) = (45.1885, 5.7245);

    #[test]
    fn known_distances() {
        let d = distance_km(LYON.0, LYON.1, VILLEURBANNE.0, VILLEURBANNE.1);
        assert!((3.0..4.0).contains(&d), "{d}");
        let d = distance_km(LYON.0, LYON.1, GRENOBLE.0, GRENOBLE.1);
        assert!((90.0..100.0).contains(&d), "{d}");
        assert_eq!(distance_km(1.0, 2.0, 1.0, 2.0), 0.0);
    }

    #[test]
    fn the_box_contains_the_circle() {
        let b = bounding_box(LYON.0, LYON.1, 50.0);
        // Points 49.9 km away due north, south, east and west are inside.
        for (dlat, dlon) in [(1.0, 0.0), (-1.0, 0.0), (0.0, 1.0), (0.0, -1.0)] {
            let mut step = 0.0;
            let (mut la, mut lo) = LYON;
            while distance_km(LYON.0, LYON.1, la, lo) < 49.9 {
                step += 0.001;
                la = LYON.0 + dlat * step;
                lo = LYON.1 + dlon * step;
            }
            assert!(la >= b.min_lat && la <= b.max_lat && lo >= b.min_lon && lo <= b.max_lon);
        }
        // Grenoble (about 95 km) is outside the box of 50 km.
        assert!(GRENOBLE.1 > b.max_lon || GRENOBLE.0 < b.min_lat);
        let polar = bounding_box(89.9, 0.0, 50.0);
        assert_eq!((polar.min_lon, polar.max_lon), (-180.0, 180.0));
    }
}
