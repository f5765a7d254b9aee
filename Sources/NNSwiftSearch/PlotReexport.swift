// SVGPlot and NiceTicks moved to the NNSwiftPlot target; re-exported so that code importing
// NNSwiftSearch (ScanCommand, the search tests) keeps compiling unchanged.
@_exported import NNSwiftPlot
