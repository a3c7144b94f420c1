using Cohort.Federated.Personal;

namespace Cohort.Federated.Algorithms;

/// <summary>
/// FedBN (Li et al. 2021, "Federated Learning on Non-IID Features via Local Batch Normalization"): every
/// batch-norm layer stays with its client (weight, bias, running mean and variance) and the rest of the
/// model is federated with FedAvg, as the reference code does (med-air/FedBN, fed_train.py: the server
/// averages every key without "bn" in its name, the clients keep their own). The engine keeps the layers
/// (<see cref="PersonalParameters.BatchNorm"/>); on a model without batch norm the method is FedAvg.
/// </summary>
internal sealed class FedBn() : KeptPartMethod("fedbn", [PersonalParameters.BatchNorm], "batch-norm layers", PersonalParameters.BatchNorm)
{
    public static AlgorithmDeclaration Declaration { get; } = new("fedbn", "FedBN (Li et al. 2021): batch-norm layers (weights, biases, running statistics) kept by each client, the rest federated with FedAvg",
        _ => new FedBn());
}
