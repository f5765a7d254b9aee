/// The symmetry functions of one central element compiled into flat blocks for fast evaluation:
/// radial blocks by (neighbor element, cutoff), angular blocks by (element pair, cutoff, G4/G5),
/// and, inside angular blocks, the distinct (η, R_s) exponentials shared by several functions.
/// Plain value types only, so the hot loops touch no reference counts.
struct DescriptorLayout: Sendable {
    /// G2 terms with `power` > 0 take exp(-η (r - R_s)²) as the `power`-th power of the exponential of
    /// term `base` (same R_s, η_base = η / power); base == own index means computed directly.
    struct RadialTerm {
        var kind: UInt8; var eta: Double; var rs: Double; var kappa: Double; var output: Int
        var base: Int = -1; var power: Int = 1
    }
    struct RadialBlock { var element: Int; var cutoff: Int; var terms: Range<Int> }
    struct AngularTerm {
        var lambda: Double; var zeta: Double; var zetaInt: Int; var norm: Double
        var eta: Double; var rs: Double; var expGroup: Int; var output: Int; var power: Int
    }
    /// exp(-η (R_jk - R_s)²) of a group is the `power`-th power of that of group `base` (same R_s,
    /// η = power · η_base); base == own index means computed directly.
    struct ExpGroup { var eta: Double; var rs: Double; var base: Int = -1; var power: Int = 1 }
    /// A distinct (λ, ζ) of a block: the angular factor (1 + λ cos θ)^ζ shared by several functions.
    struct AngularPower { var lambda: Double; var zeta: Double; var zetaInt: Int }
    /// Neighbors of one element inside one cutoff radius: the j or k candidates of angular blocks.
    struct AngularList: Equatable { var element: Int; var cutoff: Int }
    struct AngularBlock {
        var cutoff: Int; var wide: Bool; var terms: Range<Int>; var exps: Range<Int>; var powers: Range<Int>
        /// Lists of the j (lower element) and k (higher element) neighbors; equal for like elements.
        var listA: Int; var listB: Int
    }

    static let kindG1: UInt8 = 0, kindG2: UInt8 = 1, kindG3: UInt8 = 2

    let count: Int
    let elementCount: Int
    let cutoffs: [CutoffFunction]
    let maxCutoff: Double
    let radialTerms: [RadialTerm]
    let radialBlocks: [RadialBlock]
    let angularTerms: [AngularTerm]
    let expGroups: [ExpGroup]
    let angularBlocks: [AngularBlock]
    let angularPowers: [AngularPower]
    let angularLists: [AngularList]
    let maxExpsPerBlock: Int
    let maxPowersPerBlock: Int
    /// Angular blocks for neighbor elements (a, b): pairBlocks[pairOffsets[a*n+b] ..< pairOffsets[a*n+b+1]].
    let pairOffsets: [Int]
    let pairBlocks: [Int]
    let hasAngular: Bool
    let maxTermsPerBlock: Int
    let maxBlocksPerPair: Int

    init(functions: [SymmetryFunction], elements: [String]) {
        let nE = elements.count
        count = functions.count
        elementCount = nE
        var cutoffs: [CutoffFunction] = []
        func cutoffIndex(_ c: CutoffFunction) -> Int {
            if let i = cutoffs.firstIndex(of: c) { return i }
            cutoffs.append(c); return cutoffs.count - 1
        }
        var radialTerms: [RadialTerm] = [], radialBlocks: [RadialBlock] = []
        var angularTerms: [AngularTerm] = [], expGroups: [ExpGroup] = [], angularBlocks: [AngularBlock] = []
        var powers: [AngularPower] = [], lists: [AngularList] = []
        func listIndex(_ l: AngularList) -> Int {
            if let i = lists.firstIndex(of: l) { return i }
            lists.append(l); return lists.count - 1
        }
        var blockPairs: [(Int, Int)] = []

        // Radial: group by (neighbor element, cutoff), keeping the function order inside a group.
        var radialKeys: [(Int, Int)] = []
        for f in functions where !f.kind.isAngular {
            let key = (elements.firstIndex(of: f.neighbors[0]) ?? -1, cutoffIndex(f.cutoff))
            if !radialKeys.contains(where: { $0 == key }) { radialKeys.append(key) }
        }
        for key in radialKeys {
            let start = radialTerms.count
            for (out, f) in functions.enumerated() where !f.kind.isAngular {
                guard (elements.firstIndex(of: f.neighbors[0]) ?? -1, cutoffIndex(f.cutoff)) == key else { continue }
                let kind = f.kind == .g1 ? DescriptorLayout.kindG1 : f.kind == .g2 ? DescriptorLayout.kindG2 : DescriptorLayout.kindG3
                radialTerms.append(RadialTerm(kind: kind, eta: f.eta, rs: f.rs, kappa: f.kappa, output: out))
            }
            radialBlocks.append(RadialBlock(element: key.0, cutoff: key.1, terms: start..<radialTerms.count))
        }

        // Angular: group by (element pair, cutoff, wide).
        var angularKeys: [(Int, Int, Int, Bool)] = []
        func angularKey(_ f: SymmetryFunction) -> (Int, Int, Int, Bool) {
            let a = elements.firstIndex(of: f.neighbors[0]) ?? -1, b = elements.firstIndex(of: f.neighbors[1]) ?? -1
            return (min(a, b), max(a, b), cutoffIndex(f.cutoff), f.kind == .g5)
        }
        for f in functions where f.kind.isAngular {
            let key = angularKey(f)
            if !angularKeys.contains(where: { $0 == key }) { angularKeys.append(key) }
        }
        for key in angularKeys {
            let termStart = angularTerms.count, expStart = expGroups.count, powerStart = powers.count
            for (out, f) in functions.enumerated() where f.kind.isAngular && angularKey(f) == key {
                var g = expGroups[expStart...].firstIndex { $0.eta == f.eta && $0.rs == f.rs } ?? -1
                if g < 0 { expGroups.append(ExpGroup(eta: f.eta, rs: f.rs)); g = expGroups.count - 1 }
                let zInt = (f.zeta == f.zeta.rounded() && f.zeta >= 1 && f.zeta <= 64) ? Int(f.zeta) : -1
                var pw = powers[powerStart...].firstIndex { $0.lambda == f.lambda && $0.zeta == f.zeta } ?? -1
                if pw < 0 { powers.append(AngularPower(lambda: f.lambda, zeta: f.zeta, zetaInt: zInt)); pw = powers.count - 1 }
                angularTerms.append(AngularTerm(lambda: f.lambda, zeta: f.zeta, zetaInt: zInt,
                                                norm: pow2(1 - f.zeta), eta: f.eta, rs: f.rs, expGroup: g, output: out,
                                                power: pw))
            }
            angularBlocks.append(AngularBlock(cutoff: key.2, wide: key.3, terms: termStart..<angularTerms.count,
                                              exps: expStart..<expGroups.count, powers: powerStart..<powers.count,
                                              listA: listIndex(AngularList(element: key.0, cutoff: key.2)),
                                              listB: listIndex(AngularList(element: key.1, cutoff: key.2))))
            blockPairs.append((key.0, key.1))
        }
        var offsets = [0], list: [Int] = []
        for a in 0..<nE {
            for b in 0..<nE {
                for (i, p) in blockPairs.enumerated() where p == (min(a, b), max(a, b)) { list.append(i) }
                offsets.append(list.count)
            }
        }
        // Exponentials shared through integer powers, per radial block and per angular block.
        for b in radialBlocks {
            let idx = Array(b.terms).filter { radialTerms[$0].kind == DescriptorLayout.kindG2 }
            for (i, (base, power)) in zip(idx, DescriptorLayout.powerSharing(idx.map { (radialTerms[$0].eta, radialTerms[$0].rs) })) {
                radialTerms[i].base = idx[base]; radialTerms[i].power = power
            }
        }
        for b in angularBlocks {
            let idx = Array(b.exps)
            for (i, (base, power)) in zip(idx, DescriptorLayout.powerSharing(idx.map { (expGroups[$0].eta, expGroups[$0].rs) })) {
                expGroups[i].base = idx[base]; expGroups[i].power = power
            }
        }
        self.cutoffs = cutoffs
        self.maxCutoff = cutoffs.map(\.radius).max() ?? 0
        self.radialTerms = radialTerms; self.radialBlocks = radialBlocks
        self.angularTerms = angularTerms; self.expGroups = expGroups; self.angularBlocks = angularBlocks
        self.pairOffsets = offsets; self.pairBlocks = list
        self.hasAngular = !angularBlocks.isEmpty
        self.angularPowers = powers; self.angularLists = lists
        self.maxExpsPerBlock = angularBlocks.map(\.exps.count).max() ?? 0
        self.maxPowersPerBlock = angularBlocks.map(\.powers.count).max() ?? 0
        self.maxTermsPerBlock = angularBlocks.map(\.terms.count).max() ?? 0
        self.maxBlocksPerPair = zip(offsets.dropFirst(), offsets).map { $0 - $1 }.max() ?? 0
    }
}

extension DescriptorLayout {
    /// For exponentials exp(-η_i (r - R_s,i)²): (base, power) per item such that item i equals item
    /// `base` raised to `power` (same R_s, η_i = power · η_base to 1e-15 relative, power <= 64), with
    /// base = i for the ones computed directly; power 0 for η = 0 (the factor is 1).
    static func powerSharing(_ items: [(eta: Double, rs: Double)]) -> [(Int, Int)] {
        items.enumerated().map { (i, item) in
            if item.eta == 0 { return (i, 0) }
            // The smallest positive η with the same R_s (first such item) is the base.
            var base = i
            for (j, o) in items.enumerated() where o.rs == item.rs && o.eta > 0 && o.eta < items[base].eta { base = j }
            if let j = items.firstIndex(where: { $0.rs == item.rs && $0.eta == items[base].eta }) { base = j }
            if base == i { return (i, 1) }
            let ratio = item.eta / items[base].eta
            let n = ratio.rounded()
            guard n >= 2, n <= 64, abs(item.eta - n * items[base].eta) <= 1e-15 * item.eta else { return (i, 1) }
            return (base, Int(n))
        }
    }
}

/// 2^x, exact for the integer exponents used by zeta.
@inline(__always) func pow2(_ x: Double) -> Double {
    x == x.rounded() && abs(x) < 1000 ? Double(sign: .plus, exponent: Int(x), significand: 1) : _pow(2, x)
}

@inline(__always) func _pow(_ a: Double, _ b: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.pow(a, b)
    #else
    return Foundation.pow(a, b)
    #endif
}

#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
