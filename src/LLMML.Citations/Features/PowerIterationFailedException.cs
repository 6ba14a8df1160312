namespace LLMML.Citations.Features;

/// <summary>A power iteration (PageRank, HITS) did not reach its tolerance within the allowed iterations.</summary>
public sealed class PowerIterationFailedException(string algorithm, int iterations, double error, double threshold)
    : Exception($"{algorithm} did not converge in {iterations} iterations (error {error:G3} > threshold {threshold:G3}); raise MaxIterations or Tolerance.")
{
    /// <summary>Iterations run.</summary>
    public int Iterations { get; } = iterations;
}
