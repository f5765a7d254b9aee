/// One element's compiled descriptors, scaling and network, laid out in manually managed
/// buffers so the per-atom loops run without bounds checks or reference counting.
final class ElementKernel: @unchecked Sendable {
    let layout: DescriptorLayout
    let network: DenseNetwork
    let count: Int
    let radialTerms: UnsafeMutableBufferPointer<DescriptorLayout.RadialTerm>
    let angularTerms: UnsafeMutableBufferPointer<DescriptorLayout.AngularTerm>
    let expGroups: UnsafeMutableBufferPointer<DescriptorLayout.ExpGroup>
    let angularBlocks: UnsafeMutableBufferPointer<DescriptorLayout.AngularBlock>
    let angularPowers: UnsafeMutableBufferPointer<DescriptorLayout.AngularPower>
    let angularLists: UnsafeMutableBufferPointer<DescriptorLayout.AngularList>
    let radialBlocks: UnsafeMutableBufferPointer<DescriptorLayout.RadialBlock>
    let cutoffs: UnsafeMutableBufferPointer<CutoffFunction>
    let pairOffsets: UnsafeMutableBufferPointer<Int>
    let pairBlocks: UnsafeMutableBufferPointer<Int>
    /// Scaled = offset + factor * (G - shift).
    let scaleOffset: UnsafeMutableBufferPointer<Double>
    let scaleFactor: UnsafeMutableBufferPointer<Double>
    let scaleShift: UnsafeMutableBufferPointer<Double>
    let trainMin: UnsafeMutableBufferPointer<Double>
    let trainMax: UnsafeMutableBufferPointer<Double>
    let checksRange: Bool
    /// Atomic energy = network output * energyScale + energyShift.
    let energyScale: Double
    let energyShift: Double

    init(element: ElementModel, elements: [String], normalization: Normalization?) {
        layout = DescriptorLayout(functions: element.symmetryFunctions, elements: elements)
        network = element.network
        count = element.symmetryFunctions.count
        radialTerms = .copy(layout.radialTerms)
        angularTerms = .copy(layout.angularTerms)
        expGroups = .copy(layout.expGroups)
        angularBlocks = .copy(layout.angularBlocks)
        angularPowers = .copy(layout.angularPowers)
        angularLists = .copy(layout.angularLists)
        radialBlocks = .copy(layout.radialBlocks)
        cutoffs = .copy(layout.cutoffs)
        pairOffsets = .copy(layout.pairOffsets)
        pairBlocks = .copy(layout.pairBlocks)
        let coeff = (0..<count).map { element.scaling.coefficients($0) }
        scaleOffset = .copy(coeff.map(\.offset))
        scaleFactor = .copy(coeff.map(\.factor))
        scaleShift = .copy(coeff.map(\.shift))
        trainMin = .copy(element.scaling.statistics.map(\.min))
        trainMax = .copy(element.scaling.statistics.map(\.max))
        checksRange = element.scaling.mode != .none
        energyScale = normalization.map { 1 / $0.convEnergy } ?? 1
        energyShift = (normalization?.meanEnergy ?? 0) + element.referenceEnergy
    }

    deinit {
        for p in [scaleOffset, scaleFactor, scaleShift, trainMin, trainMax] { p.deallocate() }
        radialTerms.deallocate(); angularTerms.deallocate(); expGroups.deallocate()
        pairOffsets.deallocate(); pairBlocks.deallocate(); angularBlocks.deallocate(); cutoffs.deallocate()
        angularPowers.deallocate(); angularLists.deallocate(); radialBlocks.deallocate()
    }
}

extension UnsafeMutableBufferPointer {
    /// A new buffer holding a copy of `array` (at least one element, so the base address is never nil).
    static func copy(_ array: [Element]) -> UnsafeMutableBufferPointer<Element> {
        let p = UnsafeMutableBufferPointer<Element>.allocate(capacity: Swift.max(1, array.count))
        _ = p.initialize(from: array)
        return UnsafeMutableBufferPointer(start: p.baseAddress, count: array.count)
    }
}
