using System.Text.Json.Nodes;
using LLMML.Complexity.Strategies;
using LLMML.Sweeps.SearchSpaces;

namespace LLMML.Cli.Commands;

/// <summary>
/// The Sweeps side of the complexity strategies' settings lists: a search space over <see cref="LoraSetting"/> or
/// <see cref="EigenpruneMaskSetting"/> read from JSON, expanded to its grid. The strategies take plain lists and never
/// see LLMML.Sweeps.
/// </summary>
internal static class StrategySpaces
{
    /// <summary>The grid of a LoRA search space (parameters: Targets, Rank, Bits, LearningRate).</summary>
    public static IReadOnlyList<LoraSetting> Lora(string path, int steps) => Grid<LoraSetting>(path, steps);

    /// <summary>The grid of an eigenprune-mask search space (parameters: Fraction, Ablation).</summary>
    public static IReadOnlyList<EigenpruneMaskSetting> EigenpruneMask(string path, int steps) => Grid<EigenpruneMaskSetting>(path, steps);

    private static IReadOnlyList<T> Grid<T>(string path, int steps) where T : class
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Search space {path} not found.");
        var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: a search space is a JSON object.");
        SearchSpace<T> space;
        try
        {
            space = SearchSpace<T>.FromJson(json);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
        var settings = space.GridOptions(steps);
        return settings.Count > 0 ? settings : throw new ArgumentException($"{path}: the search space has no points.");
    }
}
