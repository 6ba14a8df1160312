using MathNet.Numerics.Statistics;
using LLMML.Citations.Analysis;
using LLMML.Citations.Features;
using LLMML.Citations.Plots;
using LLMML.Citations.Synthetic;
using LLMML.Citations.Tests.Support;
using Microsoft.Data.Analysis;

namespace LLMML.Citations.Tests.Analysis;

public class CitationAnalysisTests
{
    [Fact]
    public void Csi_equals_the_brute_force_pair_count_with_half_ties()
    {
        double[] a = [3, 1, 4, 1, 5, 9, 2, 6];
        double[] b = [2, 7, 1, 8, 2, 8, 1];
        double wins = 0;
        foreach (var x in a) foreach (var y in b) wins += x > y ? 1 : x == y ? 0.5 : 0;
        CitationSuccessIndex.Compute(a, b).Should().BeApproximately(wins / (a.Length * b.Length), 1e-15);
        (CitationSuccessIndex.Compute(a, b) + CitationSuccessIndex.Compute(b, a)).Should().BeApproximately(1, 1e-15);
        CitationSuccessIndex.Compute([1, 1], [1]).Should().Be(0.5);
    }

    [Fact]
    public void Quantiles_match_numpy_linear_interpolation()
    {
        // numpy.quantile([1, 2, 4, 10], [0.25, 0.5, 0.75]) = [1.75, 3.0, 5.5]
        double[] v = [1, 2, 4, 10];
        SortedArrayStatistics.QuantileCustom(v, 0.25, QuantileDefinition.R7).Should().Be(1.75);
        SortedArrayStatistics.QuantileCustom(v, 0.5, QuantileDefinition.R7).Should().Be(3);
        SortedArrayStatistics.QuantileCustom(v, 0.75, QuantileDefinition.R7).Should().Be(5.5);
    }

    // Fields 0 = IA, 1 = ML, all 2021 except paper 5 (2022). Citations: 2→0, 3→0, 4→0 (IA→IA, ML→IA, ML→IA), 0→1, 5→1.
    private static CitationAnalysis Small(out LLMML.Citations.Graphs.CitationGraph g)
    {
        g = TestGraphs.FromEdges(6, [(2, 0), (3, 0), (4, 0), (0, 1), (5, 1)],
            fields: [0, 1, 0, 1, 1, 0], years: [2021, 2021, 2021, 2021, 2021, 2022], fieldNames: ["IA", "ML"]);
        var f = CitationFeatureComputer.Compute(g, new CitationFeatureOptions { Features = CitationFeatureKinds.Counts | CitationFeatureKinds.Betweenness });
        return new CitationAnalysis(g, f);
    }

    private static DataFrameRow Row(DataFrame frame, int year, string field)
    {
        for (long r = 0; r < frame.Rows.Count; r++)
            if ((int)frame["year"][r] == year && (string)frame["field"][r] == field) return frame.Rows[r];
        throw new KeyNotFoundException($"{year}/{field}");
    }

    [Fact]
    public void Tables_per_field_and_year_have_hand_computed_values()
    {
        var analysis = Small(out _);
        var intra = analysis.IntraFieldShare();
        // IA 2021 papers {0, 2}: citations to them 2→0 (IA), 3→0 (ML), 4→0 (ML) → 1/3.
        Row(intra, 2021, "IA")[5].Should().Be(1.0 / 3);
        // ML 2021 papers {1, 3, 4}: cited by 0 (IA) and 5 (IA) → 0.
        Row(intra, 2021, "ML")[5].Should().Be(0.0);

        var refs = analysis.ReferenceShareTo("IA");
        // ML 2021 papers with references: 3 → {0}, 4 → {0}: both shares 1.
        Row(refs, 2021, "ML")[3].Should().Be(1.0);
        // IA 2021 papers with references: 0 → {1} share 0, 2 → {0} share 1: median 0.5.
        Row(refs, 2021, "IA")[3].Should().Be(0.5);

        var csi = analysis.CitationSuccessIndexTable();
        // 2021: IA citations {3, 0}, ML {2, 0, 0}: wins 3>2,3>0,3>0 = 3; 0 vs {2,0,0}: 0 + .5 + .5 = 1 → 4/6.
        for (long r = 0; r < csi.Rows.Count; r++)
            if ((string)csi["field_a"][r] == "IA" && (int)csi["year"][r] == 2021) ((double)csi["csi"][r]).Should().BeApproximately(4.0 / 6, 1e-12);

        var counts = analysis.CitationCounts();
        Row(counts, 2021, "IA")[3].Should().Be(1.5); // mean of {3, 0}

        var centrality = analysis.CentralityDistribution();
        centrality.Columns.Select(c => c.Name).Should().Equal("year", "field", "papers", "median", "q1", "q3", "zero_share");
        // Only paper 0 lies on shortest paths (2→1, 3→1, 4→1): betweenness 3 / ((6−1)(6−2)) = 0.15; IA 2021 = {0, 2}.
        var ia = Row(centrality, 2021, "IA");
        ((double)ia[3]).Should().BeApproximately(0.075, 1e-12);
        ((double)ia[4]).Should().BeApproximately(0.0375, 1e-12);
        ((double)ia[5]).Should().BeApproximately(0.1125, 1e-12);
        ((double)ia[6]).Should().Be(0.5);
    }

    [Fact]
    public void Plots_are_written_as_png_files()
    {
        var s = AclLikeGraphGenerator.Generate(new AclLikeGraphOptions { Seeds = 300, Nodes = 5000, Edges = 20000, RandomSeed = 3 });
        var f = CitationFeatureComputer.Compute(s.Graph, new CitationFeatureOptions { Features = CitationFeatureKinds.Counts | CitationFeatureKinds.Betweenness });
        var analysis = new CitationAnalysis(s.Graph, f, new CitationAnalysisOptions { Include = s.IsSeed });
        var dir = Directory.CreateTempSubdirectory("llmml-plots-").FullName;
        try
        {
            var box = Path.Combine(dir, "centrality.png");
            var heat = Path.Combine(dir, "csi.png");
            CitationPlots.CentralityByField(analysis.CentralityValuesByField(), box);
            CitationPlots.CsiHeatmap(analysis.CitationSuccessIndexTable(), 2023, heat);
            foreach (var p in new[] { box, heat })
            {
                var bytes = File.ReadAllBytes(p);
                bytes.Length.Should().BeGreaterThan(5000);
                bytes.Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
