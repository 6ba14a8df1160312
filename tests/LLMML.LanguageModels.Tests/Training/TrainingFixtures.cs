using LLMML.Foundation.Progress;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Training;

/// <summary>Small deterministic models and data for the training-loop tests.</summary>
internal static class TrainingFixtures
{
    /// <summary>A 3 → 8 → 2 MLP with dropout, built from a fixed seed.</summary>
    public static nn.Module<Tensor, Tensor> Mlp(int seed = 1, double dropout = 0.0)
    {
        torch.manual_seed(seed);
        return nn.Sequential(
            ("fc1", nn.Linear(3, 8)),
            ("act", nn.Tanh()),
            ("drop", nn.Dropout(dropout)),
            ("fc2", nn.Linear(8, 2)));
    }

    /// <summary>A fixed regression problem: y = A·x + c + small noise, n examples (float32).</summary>
    public static (Tensor X, Tensor Y) Regression(int n, int seed = 7)
    {
        var random = new Random(seed);
        var x = new float[n * 3];
        var y = new float[n * 2];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < 3; j++)
                x[i * 3 + j] = (float)(random.NextDouble() * 2 - 1);
            y[i * 2] = 0.8f * x[i * 3] - 0.5f * x[i * 3 + 1] + 0.3f + (float)(random.NextDouble() * 0.02 - 0.01);
            y[i * 2 + 1] = -0.4f * x[i * 3 + 2] + 0.6f * x[i * 3] * x[i * 3 + 1] - 0.2f;
        }

        return (torch.tensor(x, [n, 3]), torch.tensor(y, [n, 2]));
    }

    public static Tensor Mse(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y) => (model.call(x) - y).pow(2).mean();

    /// <summary>Every parameter as doubles, by name.</summary>
    public static Dictionary<string, double[]> Snapshot(nn.Module model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray());

    public static void ShouldEqualExactly(Dictionary<string, double[]> actual, Dictionary<string, double[]> expected)
    {
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, values) in expected)
            actual[name].Should().Equal(values, $"parameter {name} must match bit for bit");
    }

    public static void ShouldBeClose(Dictionary<string, double[]> actual, Dictionary<string, double[]> expected, double tolerance)
    {
        actual.Keys.Should().BeEquivalentTo(expected.Keys);
        foreach (var (name, values) in expected)
        {
            actual[name].Length.Should().Be(values.Length);
            for (var i = 0; i < values.Length; i++)
                actual[name][i].Should().BeApproximately(values[i], tolerance, $"{name}[{i}]");
        }
    }
}

/// <summary>IProgress that runs its handler synchronously (System.Progress posts to the thread pool).</summary>
internal sealed class SyncProgress(Action<ProgressUpdate> handler) : IProgress<ProgressUpdate>
{
    public List<ProgressUpdate> Updates { get; } = [];

    public void Report(ProgressUpdate value)
    {
        Updates.Add(value);
        handler(value);
    }
}
