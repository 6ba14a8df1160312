using LLMML.Citations.Loading;
using Microsoft.ML.Data;

namespace CitationClassification;

/// <summary>One Cora paper as an ML.NET row.</summary>
public sealed class PaperRow
{
    /// <summary>Cora paper id.</summary>
    public string PaperId { get; set; } = "";

    /// <summary>Ids of the papers it cites (citing → cited).</summary>
    [VectorType]
    public string[] References { get; set; } = [];

    /// <summary>Cora ships a binary bag of words over an anonymous 1,433-word dictionary, so "text" is the word ids.</summary>
    public string Text { get; set; } = "";

    /// <summary>Class name.</summary>
    public string Label { get; set; } = "";
}

/// <summary>Turns the Cora archive into rows and a seeded split.</summary>
public static class CoraRows
{
    public static PaperRow[] From(CoraDataset cora)
    {
        var g = cora.Graph;
        return Enumerable.Range(0, g.NodeCount).Select(i => new PaperRow
        {
            PaperId = g.PaperIds[i],
            References = g.ReferencesOf(i).ToArray().Select(r => g.PaperIds[r]).ToArray(),
            Text = string.Join(' ', cora.Words[i].Select(w => "w" + w)),
            Label = cora.ClassNames[cora.Labels[i]],
        }).ToArray();
    }

    /// <summary>A seeded, class-stratified split: <paramref name="trainFraction"/> of each class for training.</summary>
    public static (PaperRow[] Train, PaperRow[] Test) Split(PaperRow[] rows, double trainFraction, int seed)
    {
        var rng = new Random(seed);
        var train = new List<PaperRow>();
        var test = new List<PaperRow>();
        foreach (var cls in rows.GroupBy(r => r.Label).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var shuffled = cls.OrderBy(_ => rng.Next()).ToArray();
            int k = (int)Math.Round(shuffled.Length * trainFraction);
            train.AddRange(shuffled[..k]);
            test.AddRange(shuffled[k..]);
        }
        return ([.. train], [.. test]);
    }
}
