using TorchSharp;

namespace LLMML.LanguageModels.Devices;

/// <summary>
/// Chooses the torch device the way ML.NET's <c>MLContext.GpuDeviceId</c> / <c>MLContext.FallbackToCpu</c> ask:
/// no GPU id → CPU; a GPU id → that CUDA device when it exists; otherwise CPU if fallback is allowed, else an error.
/// </summary>
public static class DeviceSelector
{
    /// <summary>Selects the device for <paramref name="gpuDeviceId"/> on this machine.</summary>
    /// <param name="gpuDeviceId">The CUDA device ordinal wanted (MLContext.GpuDeviceId), or null for CPU.</param>
    /// <param name="fallbackToCpu">Use the CPU when the requested GPU is not available (MLContext.FallbackToCpu).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gpuDeviceId"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The GPU is not available and fallback is off; the message says why.</exception>
    public static torch.Device Select(int? gpuDeviceId, bool fallbackToCpu)
    {
        var cuda = torch.cuda.is_available();
        var ordinal = ResolveCudaOrdinal(gpuDeviceId, fallbackToCpu, cuda, cuda ? torch.cuda.device_count() : 0);
        return ordinal is null ? torch.CPU : torch.device(DeviceType.CUDA, ordinal.Value);
    }

    /// <summary>
    /// The decision itself, given what the machine has, so it can be checked for machines other than this one.
    /// </summary>
    /// <param name="gpuDeviceId">The CUDA device ordinal wanted, or null for CPU.</param>
    /// <param name="fallbackToCpu">Use the CPU when the requested GPU is not available.</param>
    /// <param name="cudaAvailable">Whether this TorchSharp build can use CUDA at all.</param>
    /// <param name="cudaDeviceCount">How many CUDA devices there are.</param>
    /// <returns>The CUDA ordinal to use, or null for the CPU.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gpuDeviceId"/> is negative.</exception>
    /// <exception cref="InvalidOperationException">The GPU is not available and fallback is off; the message says why.</exception>
    public static int? ResolveCudaOrdinal(int? gpuDeviceId, bool fallbackToCpu, bool cudaAvailable, int cudaDeviceCount)
    {
        if (gpuDeviceId is null)
            return null;
        if (gpuDeviceId < 0)
            throw new ArgumentOutOfRangeException(nameof(gpuDeviceId), gpuDeviceId, "A GPU device id must be 0 or greater (or null for the CPU).");

        string? problem = null;
        if (!cudaAvailable)
            problem = "CUDA is not available to TorchSharp (no NVIDIA GPU/driver, or a CPU-only libtorch is in use: an app using the " +
                "LLMML packages references TorchSharp-cuda-linux or TorchSharp-cuda-windows instead of libtorch-cpu-*; a build of the " +
                "LLMML repository passes -p:LLMMLTorchBackend=cuda)";
        else if (gpuDeviceId >= cudaDeviceCount)
            problem = $"CUDA device {gpuDeviceId} does not exist (this machine has {cudaDeviceCount} CUDA device{(cudaDeviceCount == 1 ? "" : "s")})";

        if (problem is null)
            return gpuDeviceId;
        if (fallbackToCpu)
            return null;
        throw new InvalidOperationException($"GPU device {gpuDeviceId} was requested but {problem}. Set FallbackToCpu = true to run on the CPU instead.");
    }
}
