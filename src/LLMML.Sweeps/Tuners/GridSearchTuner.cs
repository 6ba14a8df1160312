using LLMML.Sweeps.SearchSpaces;
using LLMML.Sweeps.Trials;

namespace LLMML.Sweeps.Tuners;

/// <summary>Every point of <see cref="SearchSpace.Grid"/> once, in order; then nothing.</summary>
public sealed class GridSearchTuner(SearchSpace searchSpace, int stepSize = 5) : ITuner
{
    private readonly IReadOnlyList<Parameter> _grid = searchSpace.Grid(stepSize);
    private int _next;

    /// <summary>Points in the grid.</summary>
    public int Count => _grid.Count;

    /// <inheritdoc />
    public Parameter? Propose(TrialSettings settings) => _next < _grid.Count ? _grid[_next++] : null;

    /// <inheritdoc />
    public void Update(TrialResult result) { }
}
