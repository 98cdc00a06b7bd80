// Package neurons places the neurons of a hidden layer in the plane and
// measures how well each one discriminates a digit class.
//
// Activations are row-major float32 matrices of n samples (test digits) by
// d neurons. Dissimilarity turns them into a d×d matrix of 1 − |Pearson r|;
// Project places the neurons by metric MDS (SMACOF started from classical
// MDS) and ProjectTSNE by exact t-SNE on the same dissimilarities.
// FitExtraTrees grows extremely randomized trees (Geurts, Ernst and Wehenkel
// 2006) with scikit-learn's ExtraTreesClassifier defaults; Discriminative and
// DiscriminativeMap turn their impurity importances into the colours of the
// neuron views. View computes all of it for one layer in small steps, with
// progress, so that a single-threaded browser stays responsive.
//
// Every random choice is driven by a seed: the same input and seed give the
// same output, whatever the number of goroutines.
package neurons
