using LLMML.TracrInjection.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LLMML.TracrInjection.Tests;

public class LossTests
{
    [Fact]
    public void Alignment_loss_is_zero_when_the_lm_states_are_an_exact_linear_image_of_the_compiled_ones()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // h_i random in D = 12; the compiled residual r_i = 2.5·(W h_i + b) + 0 (any positive scale keeps cos = 1).
        var w = randn(7, 12, dtype: float64);
        var b = randn(7, dtype: float64);
        Func<Tensor, Tensor> adapter = x => x.matmul(w.t()) + b;
        var h = Enumerable.Range(0, 3).Select(_ => randn(2, 5, 12, dtype: float64)).ToList();
        var r = h.Select(x => adapter(x) * 2.5).ToList();
        var mask = ones(2, 5);
        InjectionLosses.Alignment(h, r, adapter, mask).item<double>().Should().BeApproximately(0, 1e-12);
        // A different stream at one layer makes it positive.
        r[1] = randn(2, 5, 7, dtype: float64);
        InjectionLosses.Alignment(h, r, adapter, mask).item<double>().Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void Alignment_loss_matches_a_naive_mean_and_its_gradient_matches_finite_differences()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var w = randn(4, 6, dtype: float64);
        Func<Tensor, Tensor> adapter = x => x.matmul(w.t());
        var h0 = randn(2, 3, 6, dtype: float64).requires_grad_();
        var h1 = randn(2, 3, 6, dtype: float64);
        var r = new[] { randn(2, 3, 4, dtype: float64), randn(2, 3, 4, dtype: float64) };
        var mask = tensor(new float[] { 1, 1, 0, 1, 1, 1 }).reshape(2, 3);   // one padded position

        double Naive(Tensor a0)
        {
            double total = 0;
            var hs = new[] { a0, h1 };
            for (var i = 0; i < 2; i++)
            {
                double sum = 0; var n = 0;
                for (var bb = 0; bb < 2; bb++)
                    for (var t = 0; t < 3; t++)
                    {
                        if (mask[bb, t].item<float>() == 0) continue;
                        var x = adapter(hs[i][bb, t]).detach();
                        var y = r[i][bb, t];
                        sum += 1 - (x * y).sum().item<double>() / (x.norm().item<double>() * y.norm().item<double>());
                        n++;
                    }
                total += sum / n;
            }
            return total;
        }

        var loss = InjectionLosses.Alignment([h0, h1], r, adapter, mask);
        loss.item<double>().Should().BeApproximately(Naive(h0.detach()), 1e-10);
        loss.backward();
        var grad = h0.grad!.clone();
        const double eps = 1e-6;
        foreach (var (bb, t, k) in new[] { (0, 0, 0), (0, 1, 3), (1, 2, 5), (0, 2, 1) })
        {
            var plus = h0.detach().clone(); plus[bb, t, k] += eps;
            var minus = h0.detach().clone(); minus[bb, t, k] -= eps;
            var numeric = (Naive(plus) - Naive(minus)) / (2 * eps);
            grad[bb, t, k].item<double>().Should().BeApproximately(numeric, 1e-6, $"d/dh[{bb},{t},{k}]");
        }
        grad[0, 2].abs().sum().item<double>().Should().Be(0, "a padded position contributes nothing");
    }

    [Fact]
    public void Detach_and_roll_keeps_the_own_projection_takes_the_previous_rows_complement_and_passes_gradient_only_through_the_projection()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var weight = randn(9, 6, dtype: float64);        // adapter [d_c, D]
        var p = InjectionLosses.Projector(weight, start: 2, count: 3);
        // P is the orthogonal projector onto the span of rows 2..4: P² = P, Pᵀ = P, rank 3, P·row = row.
        (p.matmul(p) - p).abs().max().item<double>().Should().BeLessThan(1e-10);
        (p - p.t()).abs().max().item<double>().Should().BeLessThan(1e-10);
        p.trace().item<double>().Should().BeApproximately(3, 1e-9);
        (weight[3].matmul(p) - weight[3]).abs().max().item<double>().Should().BeLessThan(1e-10);

        var h = randn(3, 4, 6, dtype: float64).requires_grad_();
        var output = InjectionLosses.DetachAndRoll(h, p);
        for (var b = 0; b < 3; b++)
        {
            var own = h[b].detach().matmul(p);
            var other = h[(b + 2) % 3].detach();
            var expected = own + (other - other.matmul(p));
            (output[b].detach() - expected).abs().max().item<double>().Should().BeLessThan(1e-12, $"row {b}");
        }
        var upstream = randn(3, 4, 6, dtype: float64);
        (output * upstream).sum().backward();
        (h.grad! - upstream.matmul(p.t())).abs().max().item<double>().Should().BeLessThan(1e-12, "the complement is detached");
    }

    [Fact]
    public void Detach_and_roll_refuses_a_batch_of_one()
    {
        using var scope = NewDisposeScope();
        var act = () => InjectionLosses.DetachAndRoll(zeros(1, 2, 4), eye(4));
        act.Should().Throw<ArgumentException>().WithMessage("*at least 2 rows*");
        var settings = new InjectionSettings { TaskBatchSize = 1 };
        settings.Invoking(s => s.Validate()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*TaskBatchSize*at least 2 with detach-and-roll*");
        new InjectionSettings { TaskBatchSize = 1, DetachAndRoll = false }.Validate();
    }

    [Fact]
    public void Kl_is_zero_for_equal_models_and_averaged_per_position()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var a = randn(2, 3, 5);
        var b = randn(2, 3, 5);
        var mask = tensor(new float[] { 1, 1, 1, 1, 0, 0 }).reshape(2, 3);
        InjectionLosses.KlToOriginal(a, a, mask).item<float>().Should().BeApproximately(0, 1e-6f);
        // Naive: Σ p (log p − log q) at each real position, mean over the 4 of them.
        var lp = nn.functional.log_softmax(b, -1);
        var lq = nn.functional.log_softmax(a, -1);
        double sum = 0;
        foreach (var (i, j) in new[] { (0, 0), (0, 1), (0, 2), (1, 0) })
            for (var v = 0; v < 5; v++)
                sum += Math.Exp(lp[i, j, v].item<float>()) * (lp[i, j, v].item<float>() - lq[i, j, v].item<float>());
        InjectionLosses.KlToOriginal(a, b, mask).item<float>().Should().BeApproximately((float)(sum / 4), 1e-5f);
    }

    [Fact]
    public void Answer_cross_entropy_counts_tokens_and_refuses_an_empty_mask()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var logits = randn(2, 3, 4);
        var targets = tensor(new long[] { 1, 2, 3, 0, 1, 2 }).reshape(2, 3);
        var mask = tensor(new float[] { 0, 1, 1, 1, 0, 0 }).reshape(2, 3);
        var lp = nn.functional.log_softmax(logits, -1);
        var expected = -(lp[0, 1, 2].item<float>() + lp[0, 2, 3].item<float>() + lp[1, 0, 0].item<float>()) / 3;
        InjectionLosses.AnswerCrossEntropy(logits, targets, mask).item<float>().Should().BeApproximately(expected, 1e-5f);
        var act = () => InjectionLosses.AnswerCrossEntropy(logits, targets, zeros(2, 3));
        act.Should().Throw<ArgumentException>().WithMessage("*no answer token*");
    }
}
