import NNSwift
import Foundation

/// Random compact clusters: N points uniform in a sphere sized for N atoms at a typical
/// nearest-neighbor distance d, no two closer than `minDistance`.
///
/// The sphere holds N atoms at close-packed density (volume d³/√2 per atom):
/// R = d · (3N / (4π√2))^(1/3), at least d/2. When the points do not fit after many tries
/// the radius grows by 5 %.
public enum RandomCluster {
    public static func radius(atoms: Int, bondLength d: Double) -> Double {
        max(0.5 * d, d * pow(3 * Double(atoms) / (4 * Double.pi * 2.0.squareRoot()), 1.0 / 3))
    }

    public static func positions(atoms: Int, bondLength d: Double, minDistance: Double? = nil,
                                 using rng: inout SeededGenerator) -> [SIMD3<Double>] {
        let dmin = minDistance ?? 0.7 * d
        var r = radius(atoms: atoms, bondLength: d)
        while true {
            var points: [SIMD3<Double>] = []
            var tries = 0
            while points.count < atoms && tries < 2000 * atoms {
                tries += 1
                let p = SIMD3(rng.uniform(-r, r), rng.uniform(-r, r), rng.uniform(-r, r))
                guard (p * p).sum() <= r * r else { continue }
                if points.allSatisfy({ q in let v = q - p; return (v * v).sum() >= dmin * dmin }) { points.append(p) }
            }
            if points.count == atoms { return points }
            r *= 1.05
        }
    }
}
