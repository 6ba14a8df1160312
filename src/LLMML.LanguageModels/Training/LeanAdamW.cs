using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LLMML.LanguageModels.Training;

/// <summary>
/// TorchSharp's AdamW with a step that frees each parameter's temporaries before the next parameter. TorchSharp 0.107's
/// step runs every parameter inside one dispose scope, so its two parameter-sized temporaries per parameter (√v and
/// √v / √(1 − β₂ᵗ)) all stay alive until the step ends: 1 GB extra for a 124M model, all of it freshly faulted-in
/// memory every step. Same update (Loshchilov &amp; Hutter; PyTorch's single-tensor AdamW), same state and checkpoint
/// format (the optimizer's type name stays "AdamW", which <c>save_state_dict</c> records and checks).
/// </summary>
public static class LeanAdamW
{
    /// <summary>One parameter group with the given hyper-parameters.</summary>
    public static TorchSharp.Modules.AdamW Create(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0) =>
        Create([new TorchSharp.Modules.AdamW.ParamGroup(parameters, lr, beta1, beta2, eps, weightDecay)], lr, beta1, beta2, eps, weightDecay);

    /// <summary>Several parameter groups (e.g. no weight decay on vectors); the arguments are the groups' defaults.</summary>
    public static TorchSharp.Modules.AdamW Create(IEnumerable<TorchSharp.Modules.AdamW.ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9,
        double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0) =>
        new AdamW(groups, lr, beta1, beta2, eps, weightDecay);

    // Named AdamW so that checkpoints written by TorchSharp's optimizer load into this one and back.
    private sealed class AdamW(IEnumerable<TorchSharp.Modules.AdamW.ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay)
        : TorchSharp.Modules.AdamW(groups, lr, beta1, beta2, eps, weightDecay, amsgrad: false, maximize: false)
    {
        public override Tensor step(Func<Tensor>? closure = null)
        {
            Tensor? loss = null;
            if (closure is not null)
            {
                using var grad = enable_grad();
                loss = closure();
            }
            using var noGrad = no_grad();
            foreach (var group in _parameter_groups)
            {
                var options = (Options)group.Options;
                double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
                double lr = options.LearningRate!.Value, decay = options.weight_decay!.Value;
                foreach (var parameter in group.Parameters)
                {
                    using var scope = NewDisposeScope();
                    var grad = parameter.grad;
                    if (grad is null) continue;
                    var state = (State)_state[parameter.Handle];
                    state.step += 1;
                    if (decay != 0) parameter.mul_(1 - lr * decay);
                    var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
                    var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
                    state.exp_avg.mul_(beta1).add_(grad, alpha: 1 - beta1);
                    state.exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
                    var denominator = state.exp_avg_sq.sqrt().div_(Math.Sqrt(biasCorrection2)).add_(eps);   // one temporary, freed below
                    parameter.addcdiv_(state.exp_avg, denominator, value: -lr / biasCorrection1);
                }
            }
            return loss!;
        }
    }
}
