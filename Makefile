# SPDX-License-Identifier: GPL-2.0-only
#
# Kbuild file of drivers/vfio, also usable out of tree:
#   make                 build against the installed Debian kernel headers
#   make install         install under /lib/modules/<kver>/updates, depmod
#   make W=1 / make C=2  extra warnings / sparse on every file
#   make checkpatch      scripts/checkpatch.pl --strict on our sources
#   make bench           Type1 benchmark in the test VM, ours against stock
#   make dkms-install    (root) build and install through DKMS, for every
#                        kernel from now on; make dkms-uninstall undoes it
#                        (BENCH_ARGS="--iommu amd", "--smoke", ...)
# KDIR= picks another kernel build directory, KVER= another release.

ifneq ($(KERNELRELEASE),)

# Our include/linux/vfio.h must shadow the kernel's: NOSTDINC_FLAGS comes
# before LINUXINCLUDE on the compiler's command line, ccflags-y after it.
vfio_root := $(if $(filter /%,$(src)),$(src),$(srctree)/$(src))
NOSTDINC_FLAGS += -I$(vfio_root)/include

# Out of tree our Kconfig is not read; the test options follow the target
# kernel instead (Debian's has neither fault injection nor KUnit):
# - VFIO_FAIL_NTH, the failure points of include/linux/vfio.h, with the
#   kernel's CONFIG_FAULT_INJECTION (the test VM's debug kernel);
# - VFIO_KUNIT_TEST, the KUnit suites (*_test.c, #included at the end of
#   the files they test), with its CONFIG_KUNIT, unless VFIO_KUNIT_TEST=n
#   is given to make.
# VFIO_NOIOMMU is always built (the mode stays off until vfio's
# enable_unsafe_noiommu_mode=1): Debian's kernel lacks it, and users of
# DPDK on machines without an IOMMU need it.
ifneq ($(KBUILD_EXTMOD),)
subdir-ccflags-y += -DCONFIG_VFIO_NOIOMMU=1
ifeq ($(CONFIG_FAULT_INJECTION),y)
subdir-ccflags-y += -DCONFIG_VFIO_FAIL_NTH=1
endif
VFIO_KUNIT_TEST ?= $(CONFIG_KUNIT)
ifneq ($(filter y m,$(VFIO_KUNIT_TEST)),)
subdir-ccflags-y += -DCONFIG_VFIO_KUNIT_TEST=1
endif
endif

obj-$(CONFIG_VFIO) += vfio.o
obj-$(CONFIG_VFIO_IOMMU_TYPE1) += vfio_iommu_type1.o
obj-$(CONFIG_VFIO_PCI) += vfio_pci/

else

KVER ?= $(shell $(CURDIR)/tools/testing/kver)
KDIR ?= /lib/modules/$(KVER)/build
INSTALL_MOD_PATH ?=
MODDIR := $(INSTALL_MOD_PATH)/lib/modules/$(KVER)/updates
MODULES := vfio.ko vfio_iommu_type1.ko vfio_pci/vfio-pci.ko
CHECKPATCH ?= $(CURDIR)/tools/testing/checkpatch

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	for m in $(MODULES); do \
		install -D -m 0644 $$m $(MODDIR)/$$m || exit 1; \
	done
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)

uninstall:
	rm -f $(addprefix $(MODDIR)/,$(MODULES))
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)

checkpatch:
	$(CHECKPATCH)

# DKMS (dkms.conf) builds from a copy of the module sources alone in
# /usr/src/vfio-<version>/ (DKMS_SRC= puts the copy elsewhere).
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' \
		  $(CURDIR)/dkms.conf)
DKMS_SRC ?= /usr/src/vfio-$(DKMS_VERSION)

dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	find . \( -path ./build -o -path ./tools -o -path ./Documentation \
		-o -path ./.git \) -prune -o \( -name '*.[ch]' \
		! -name '*.mod.c' -o -name Makefile -o -name Kconfig \
		-o -name dkms.conf \) -type f -print | \
		cpio -pdm --quiet $(DKMS_SRC)

dkms-install:
	$(MAKE) dkms-uninstall
	$(MAKE) dkms-src
	dkms add -m vfio -v $(DKMS_VERSION)
	dkms build -m vfio -v $(DKMS_VERSION) -k $(KVER)
	dkms install -m vfio -v $(DKMS_VERSION) -k $(KVER)

dkms-uninstall:
	-dkms remove -m vfio -v $(DKMS_VERSION) --all
	rm -rf $(DKMS_SRC)

# A benchmark, not a test: tools/testing/bench/run builds its guest program
# and runs it in the VM (which builds the modules itself, as for a test).
bench:
	$(CURDIR)/tools/testing/bench/run $(BENCH_ARGS)

# Not kbuild's clean: that one deletes objects anywhere below this
# directory, build/ (the test VM, the in-tree kernel) included.
clean:
	find . -path ./build -prune -o -path ./.git -prune -o \
		\( -name '*.[aios]' -o -name '*.ko' -o -name '*.mod' \
		-o -name '*.mod.c' -o -name '.*.cmd' -o -name '*.o.d' \
		-o -name modules.order -o -name Module.symvers \) \
		-type f -print | xargs rm -f

.PHONY: all modules install uninstall checkpatch bench clean dkms-src \
	dkms-install dkms-uninstall

endif
