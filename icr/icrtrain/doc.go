// Package icrtrain trains and evaluates the handwriting model that package
// icr embeds: it reads the UNIPEN corpus, splits it by writer, trains the
// ensemble with augmentation and calibrates its temperatures. cmd/icrtrain
// runs it; the server does not link it.
package icrtrain
