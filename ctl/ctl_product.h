/*
 * ctl_product.h — `ocopctl product price` and `product description`
 * (ctl_product.c); `product attribute` is in ctl_attribute.c, whose
 * cmd_product hands these two on. argv as cmd_product's.
 */
#ifndef OCOP_CTL_PRODUCT_H
#define OCOP_CTL_PRODUCT_H

#include "ocopctl.h"

int ctl_product_price(struct ctl *ctl, int argc, char **argv);
int ctl_product_description(struct ctl *ctl, int argc, char **argv);

#endif
