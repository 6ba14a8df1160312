using LLMML.LanguageModels.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Tests.Training;

public class LeanAdamWTests
{
    // AdamW (decoupled decay) written out in doubles for one scalar parameter: the independent reference.
    private static double[] ClosedForm(double p, double[] grads, double lr, double b1, double b2, double eps, double decay)
    {
        double m = 0, v = 0;
        var trace = new double[grads.Length];
        for (var t = 1; t <= grads.Length; t++)
        {
            var g = grads[t - 1];
            p *= 1 - lr * decay;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            var mHat = m / (1 - Math.Pow(b1, t));
            var denominator = Math.Sqrt(v) / Math.Sqrt(1 - Math.Pow(b2, t)) + eps;
            p -= lr * mHat / denominator;
            trace[t - 1] = p;
        }
        return trace;
    }

    [Fact]
    public void StepsFollowTheClosedFormAdamWUpdateIncludingWeightDecay()
    {
        double[] grads = [0.5, -1.25, 2.0, 0.1];
        using var parameter = new Parameter(tensor(new[] { 0.75 }, dtype: ScalarType.Float64));
        using var optimizer = LeanAdamW.Create([parameter], lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1);
        var expected = ClosedForm(0.75, grads, 0.01, 0.8, 0.95, 1e-6, 0.1);
        for (var i = 0; i < grads.Length; i++)
        {
            parameter.grad = tensor(new[] { grads[i] }, dtype: ScalarType.Float64);
            optimizer.step();
            parameter.item<double>().Should().BeApproximately(expected[i], 1e-12);
        }
    }

    [Fact]
    public void MatchesTorchSharpsAdamWOnTwoGroupsAndSharesItsCheckpointFormat()
    {
        random.manual_seed(5);
        var initial = new[] { randn(4, 3, dtype: ScalarType.Float64), randn(3, dtype: ScalarType.Float64) };
        Parameter[] Clone() => initial.Select(t => new Parameter(t.clone())).ToArray();
        var ours = Clone();
        var theirs = Clone();
        AdamW.ParamGroup[] Groups(Parameter[] ps) =>
            [new AdamW.ParamGroup([ps[0]], 0.02, 0.9, 0.99, 1e-8, 0.05), new AdamW.ParamGroup([ps[1]], 0.02, 0.9, 0.99, 1e-8, 0)];
        using var lean = LeanAdamW.Create(Groups(ours), 0.02, 0.9, 0.99, 1e-8, 0.05);
        using var reference = optim.AdamW(Groups(theirs), 0.02, 0.9, 0.99, 1e-8, 0.05);
        for (var step = 0; step < 3; step++)
        {
            for (var i = 0; i < 2; i++)
            {
                var g = randn(initial[i].shape, dtype: ScalarType.Float64);
                ours[i].grad = g.clone();
                theirs[i].grad = g.clone();
            }
            lean.step();
            reference.step();
        }
        for (var i = 0; i < 2; i++)
            (ours[i] - theirs[i]).abs().max().item<double>().Should().BeLessThan(1e-14);

        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) lean.save_state_dict(writer);
        stream.Position = 0;
        using var restored = optim.AdamW(Groups(Clone()), 0.02, 0.9, 0.99, 1e-8, 0.05);
        using (var reader = new BinaryReader(stream)) restored.load_state_dict(reader);
        var state = (AdamW.State)restored.state_dict().State[0];
        state.step.Should().Be(3);
        var leanState = (AdamW.State)lean.state_dict().State[0];
        state.exp_avg_sq.allclose(leanState.exp_avg_sq).Should().BeTrue();
    }
}
